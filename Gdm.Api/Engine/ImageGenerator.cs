using Gdm.Api.Inference;
using Gdm.Core.Latents;
using Gdm.Core.Schedules;

namespace Gdm.Api.Engine;

/// <summary>
/// Turns recipes into engine work and finished images. A recipe with a prefix starts at t = e_g from its source's
/// finished coefficients: taken from the recent outputs when the source was made lately, computed first otherwise.
/// </summary>
public sealed class ImageGenerator(IEngineQueue queue, RecentOutputs recent)
{
    /// <summary>Makes the images of recipes of one model, in order. Throws EngineBusyException when the queue is full.</summary>
    public async Task<IReadOnlyList<GeneratedImage>> GenerateAsync(
        LoadedModel model,
        IReadOnlyList<ImageRecipe> recipes,
        ProgressTracker? tracker,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(recipes);
        var prefixes = await ResolvePrefixesAsync(model, recipes, tracker, cancellationToken);

        var process = model.Process;
        var starts = new TrajectoryStart[recipes.Count];
        for (var i = 0; i < recipes.Count; i++)
        {
            var recipe = recipes[i];
            var latent = recipe.RealiseLatent(process.Grouping);
            var state = recipe.Prefix is { } prefix
                ? LatentEdits.PrefixState(process.Grouping, FinishedPrefix(prefix, prefixes), latent, prefix.FromGroup)
                : latent;
            // The grid and causal-input rule the recipe was made with, so that every recipe replays bit for bit.
            var grid = model.GenerationGrid(recipe.StepsPerGroup, recipe.FirstGroup, recipe.Version);
            starts[i] = new TrajectoryStart(state, grid, recipe.Sampler);
        }

        var final = await RunAsync(model, starts, tracker, cancellationToken);
        var images = new GeneratedImage[recipes.Count];
        for (var i = 0; i < recipes.Count; i++)
        {
            images[i] = new GeneratedImage(recipes[i], final[i]);
            recent.Add(recipes[i].Key(), final[i]);
        }

        return images;
    }

    /// <summary>The finished coefficients of one recipe's image: from the recent outputs when it was made lately, else made now.</summary>
    public async Task<float[]> FinishedAsync(LoadedModel model, ImageRecipe recipe, ProgressTracker? tracker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        if (recent.TryGet(recipe.Key(), out var coefficients))
            return coefficients;
        return (await GenerateAsync(model, [recipe], tracker, cancellationToken))[0].Coefficients;
    }

    /// <summary>
    /// Network evaluations GenerateAsync will run for these recipes as things stand: theirs, and those of every prefix
    /// source not among the recent outputs (made first, recursively).
    /// </summary>
    public int PlannedEvaluations(LoadedModel model, IReadOnlyList<ImageRecipe> recipes)
    {
        ArgumentNullException.ThrowIfNull(recipes);
        var own = recipes.Sum(r => EvaluationCount.Generation(model, r.StepsPerGroup, r.Sampler, r.FirstGroup));
        var missing = recipes.Select(r => (r.Prefix as PrefixStart.OfRecipe)?.Source).OfType<ImageRecipe>()
            .DistinctBy(source => source.Key())
            .Where(source => !recent.Contains(source.Key()))
            .ToArray();
        return own + (missing.Length == 0 ? 0 : PlannedEvaluations(model, missing));
    }

    /// <summary>Submits trajectories and waits for their final states (any grid: generation, prefix start, inversion).</summary>
    public async Task<float[][]> RunAsync(
        LoadedModel model,
        IReadOnlyList<TrajectoryStart> starts,
        ProgressTracker? tracker,
        CancellationToken cancellationToken)
    {
        var work = new TrajectoryWork(model, starts, cancellationToken, tracker is null ? null : tracker.Report);
        tracker?.BeginPhase(work.EvaluationsTotal);
        var ticket = queue.Submit(work);
        tracker?.Submitted(ticket);
        return await ticket.FinalStates.WaitAsync(cancellationToken);
    }

    private static float[] FinishedPrefix(PrefixStart prefix, Dictionary<string, float[]> fromSources) => prefix switch
    {
        PrefixStart.OfCoefficients given => given.Coefficients.ToArray(),
        PrefixStart.OfRecipe made => fromSources[made.Source.Key()],
        _ => throw new InvalidOperationException($"unknown prefix start {prefix}"),
    };

    // Finished coefficients of every prefix source, by key: recent outputs first, the rest made now (in one work).
    private async Task<Dictionary<string, float[]>> ResolvePrefixesAsync(
        LoadedModel model,
        IReadOnlyList<ImageRecipe> recipes,
        ProgressTracker? tracker,
        CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, float[]>();
        var missing = new Dictionary<string, ImageRecipe>();
        foreach (var source in recipes.Select(r => r.Prefix).OfType<PrefixStart.OfRecipe>().Select(p => p.Source))
        {
            var key = source.Key();
            if (found.ContainsKey(key) || missing.ContainsKey(key))
                continue;
            if (recent.TryGet(key, out var coefficients))
                found[key] = coefficients;
            else
                missing[key] = source;
        }

        if (missing.Count > 0)
        {
            var made = await GenerateAsync(model, missing.Values.ToArray(), tracker, cancellationToken);
            foreach (var image in made)
                found[image.Recipe.Key()] = image.Coefficients;
        }

        return found;
    }
}
