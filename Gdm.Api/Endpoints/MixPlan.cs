using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Engine;
using Gdm.Api.Inference;
using Gdm.Api.Options;
using Gdm.Core.Latents;
using Gdm.Core.Sampling;

namespace Gdm.Api.Endpoints;

/// <summary>
/// A checked mix: one output whose groups come from named sources. The leading groups (group 0 and the groups right
/// after it named with the same source) are kept as that source's finished coefficients by a prefix start, exactly:
/// a recipe's finished image, or an upload's own coefficients, which need no inversion. Every later group takes its
/// source's latent eps: a recipe's noise or latent, or an upload's latent found by ODE inversion up to the first
/// group named for it. The output is then
/// generated from e_k, so later groups are drawn by the model consistently with the kept ones rather than pasted in.
/// </summary>
public sealed class MixPlan
{
    private readonly LoadedModel _model;
    private readonly IReadOnlyList<Input> _sources;
    private readonly IReadOnlyList<int> _groupSources;
    private readonly int _prefixGroups;
    private readonly IReadOnlyList<int> _stepsPerGroup;
    private readonly SamplerKind _sampler;
    private readonly OutputFormat _format;
    private readonly IReadOnlyList<UploadReport>? _uploads;

    private MixPlan(
        LoadedModel model,
        IReadOnlyList<Input> sources,
        IReadOnlyList<int> groupSources,
        int prefixGroups,
        IReadOnlyList<int> stepsPerGroup,
        SamplerKind sampler,
        OutputFormat format,
        IReadOnlyList<UploadReport>? uploads)
    {
        _model = model;
        _sources = sources;
        _groupSources = groupSources;
        _prefixGroups = prefixGroups;
        _stepsPerGroup = stepsPerGroup;
        _sampler = sampler;
        _format = format;
        _uploads = uploads;
    }

    /// <summary>The plan, or null with errors added; a bad image throws UploadRejectedException.</summary>
    public static async Task<MixPlan?> CreateAsync(MixRequest request, PlanningContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var model = context.ResolveModel(request.Model ?? request.Sources?.FirstOrDefault(s => s?.Recipe?.Model is not null)?.Recipe!.Model);
        if (model is null)
            return null;
        var (images, _, limits, errors, cancellationToken) = context;
        var sources = CheckSources(request.Sources, limits, errors);
        var groupSources = CheckGroupSources(request.GroupSources, sources?.Count ?? 0, model.Process.Grouping.Count, errors);
        var steps = request.StepsPerGroup is null ? null : RecipeMapping.ToSteps("stepsPerGroup", request.StepsPerGroup, model, limits, errors);
        if (errors.Any || sources is null || groupSources is null)
            return null;

        var recipes = sources.Select((s, i) => s.Recipe is null ? null : RecipeMapping.ToRecipe($"sources[{i}].recipe", s.Recipe, model, limits, errors)).ToArray();
        // A recipe's latent is best decoded as it was made (an encoded latent by its inversion's sampler and steps).
        var firstRecipe = recipes.FirstOrDefault(r => r is not null);
        steps ??= firstRecipe?.StepsPerGroup ?? model.Manifest.DefaultStepsPerGroup.ToArray();
        var leading = groupSources[0];
        var prefixGroups = model.Process.Schedule.Overlap > 0 ? 0 : groupSources.TakeWhile(s => s == leading).Count();
        if (prefixGroups > 0 && recipes[leading] is { } kept && kept.Depth + 1 > limits.MaxPrefixDepth)
            errors.Add($"sources[{leading}].recipe.prefix", $"the source already nests {kept.Depth} prefix starts; the limit is {limits.MaxPrefixDepth}");
        if (errors.Any)
            return null;

        var inputs = new Input[sources.Count];
        for (var i = 0; i < sources.Count; i++)
        {
            var image = sources[i].Image is null ? null : await images.ReadAsync(sources[i].Image, $"sources[{i}].image", model, cancellationToken);
            // An upload named after the prefix needs its latent from the first group named for it (with overlap there is
            // no prefix start, so its inversion runs in full).
            var named = groupSources.Skip(prefixGroups).ToList().IndexOf(i);
            var latentFrom = image is null || named < 0 ? (int?)null : model.Process.Schedule.Overlap > 0 ? 0 : prefixGroups + named;
            inputs[i] = new Input(recipes[i], image, latentFrom);
        }

        var sampler = request.Sampler
            ?? (inputs.Any(s => s.NeedsLatent) ? SamplerKind.Heun
            : firstRecipe?.Sampler ?? SamplerKind.Euler);
        return new MixPlan(model, inputs, groupSources, prefixGroups, steps, sampler, request.Format ?? OutputFormat.Png, images.Reports);
    }

    public async Task<ImagesResponse> RunAsync(ImageGenerator generator, ProgressTracker? tracker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var grouping = _model.Process.Grouping;
        var toInvert = Enumerable.Range(0, _sources.Count).Where(i => _sources[i].NeedsLatent).ToArray();
        tracker?.Announce(
            toInvert.Sum(i => EvaluationCount.Inversion(_model, _stepsPerGroup, _sampler, _sources[i].LatentFrom!.Value))
            + EvaluationCount.Generation(_model, _stepsPerGroup, _sampler, _prefixGroups)
            + (_prefixGroups > 0 && _sources[_groupSources[0]].Recipe is { } prefixSource ? generator.PlannedEvaluations(_model, [prefixSource]) : 0));
        var inverted = toInvert.Length == 0
            ? []
            : await generator.InvertFromAsync(_model, toInvert.Select(i => _sources[i].Image!.Coefficients).ToArray(), toInvert.Select(i => _sources[i].LatentFrom!.Value).ToArray(), _stepsPerGroup, _sampler, tracker, cancellationToken);

        // Seeds compose per group (a group's noise is a function of its seed and index alone), so a mix of seed recipes
        // stays a seed recipe; anything else is an explicit latent. An upload kept only as the prefix has no latent:
        // its groups' values there are zeros, which the prefix start never reads.
        RecipeLatent latent;
        if (_sources.All(s => s.Recipe?.Latent is RecipeLatent.Seeded))
        {
            latent = new RecipeLatent.Seeded(new LatentRecipe(_groupSources.Select((s, g) => ((RecipeLatent.Seeded)_sources[s].Recipe!.Latent).Noise.Groups[g]).ToArray()));
        }
        else
        {
            var latents = _sources.Select((s, i) =>
                s.Recipe?.RealiseLatent(grouping)
                ?? (s.NeedsLatent ? inverted[Array.IndexOf(toInvert, i)] : new float[grouping.Shape.Size])).ToArray();
            latent = new RecipeLatent.Explicit(LatentEdits.Compose(grouping, latents, _groupSources));
        }

        var leading = _sources[_groupSources[0]];
        var prefix = _prefixGroups == 0 ? null
            : leading.Recipe is { } source ? new PrefixStart.OfRecipe(_prefixGroups, source)
            : (PrefixStart)new PrefixStart.OfCoefficients(_prefixGroups, leading.Image!.Coefficients);
        var recipe = new ImageRecipe(_model.Name, latent, _stepsPerGroup, _sampler, prefix);
        var plan = new ImagePlan(_model, [recipe], null, _format, _uploads);
        return plan.ToResponse(await generator.GenerateAsync(_model, [recipe], tracker, cancellationToken));
    }

    private static IReadOnlyList<ImageSource>? CheckSources(IReadOnlyList<ImageSource>? sources, RequestLimitOptions limits, RequestErrors errors)
    {
        if (sources is null || sources.Count < 2)
        {
            errors.Add("sources", $"name at least two sources (recipes, latents or uploaded images), got {sources?.Count ?? 0}");
            return null;
        }

        if (sources.Count > limits.MaxImagesPerRequest)
        {
            errors.Add("sources", $"at most {limits.MaxImagesPerRequest} sources, got {sources.Count}");
            return null;
        }

        for (var i = 0; i < sources.Count; i++)
            if (sources[i] is null || (sources[i].Recipe is null) == (sources[i].Image is null))
                errors.Add($"sources[{i}]", "give exactly one of recipe or image");
        return errors.Any ? null : sources;
    }

    private static IReadOnlyList<int>? CheckGroupSources(IReadOnlyList<int>? groupSources, int sources, int groups, RequestErrors errors)
    {
        if (groupSources is null || groupSources.Count != groups)
        {
            errors.Add("groupSources", $"name the source of each of the {groups} groups (index 0 = generated first), got {groupSources?.Count ?? 0}");
            return null;
        }

        if (sources < 2)
            return null;
        for (var g = 0; g < groups; g++)
            if (groupSources[g] < 0 || groupSources[g] >= sources)
            {
                errors.Add($"groupSources[{g}]", $"must be a source index between 0 and {sources - 1}, got {groupSources[g]}");
                return null;
            }

        if (groupSources.Distinct().Count() < 2)
            errors.Add("groupSources", "every group names the same source: a mix takes its groups from at least two");
        for (var i = 0; i < sources; i++)
            if (!groupSources.Contains(i))
                errors.Add($"sources[{i}]", $"no group names source {i} in groupSources");
        return errors.Any ? null : groupSources.ToArray();
    }

    // A checked source: its recipe or its upload, and for an upload named after the prefix the first group whose
    // latent is needed (its inversion stops at that group's start).
    private sealed record Input(ImageRecipe? Recipe, UploadedImage? Image, int? LatentFrom)
    {
        public bool NeedsLatent => LatentFrom is not null;
    }
}
