using Gdm.Api.Endpoints.Operations;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Engine;
using Gdm.Api.Inference;
using Gdm.Core.Latents;
using Gdm.Core.Sampling;

namespace Gdm.Api.Endpoints;

/// <summary>
/// A checked source of an edit: its recipe, or its upload and, when the edit needs the upload's latent, the first
/// group it needs (the inversion stops at e_k of that group: docs/formulation.md, "Inversion").
/// </summary>
public sealed record SourceInput(ImageRecipe? Recipe, UploadedImage? Image, int? LatentFrom)
{
    public bool NeedsInversion => LatentFrom is not null;

    /// <summary>Sources in a list (mix, interpolate): at least `minimum`, at most the image limit, each `{ recipe | image }`.</summary>
    public static IReadOnlyList<ImageSource>? CheckList(IReadOnlyList<ImageSource>? sources, int minimum, int maximum, RequestErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (sources is null || sources.Count < minimum || sources.Count > maximum)
        {
            errors.Add("sources", minimum == maximum
                ? $"name exactly {minimum} sources (recipes, latents or uploaded images), got {sources?.Count ?? 0}"
                : $"name between {minimum} and {maximum} sources (recipes, latents or uploaded images), got {sources?.Count ?? 0}");
            return null;
        }

        var valid = true;
        for (var i = 0; i < sources.Count; i++)
            valid &= RequestRules.Source(sources[i], $"sources[{i}]", errors);
        return valid ? sources : null;
    }

    /// <summary>The recipes of the listed sources (null for uploads), checked against the model.</summary>
    public static ImageRecipe?[] Recipes(IReadOnlyList<ImageSource> sources, LoadedModel model, PlanningContext context)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(context);
        return sources.Select((s, i) => s.Recipe is null ? null : RecipeMapping.ToRecipe($"sources[{i}].recipe", s.Recipe, model, context.Limits, context.Errors)).ToArray();
    }

    /// <summary>
    /// The latent eps of each source: a recipe's realised, an upload's by one batched inversion from its LatentFrom
    /// group (groups before it zero, never read), zeros for an upload whose latent is not needed.
    /// </summary>
    public static async Task<float[][]> LatentsAsync(
        IReadOnlyList<SourceInput> sources, LoadedModel model, IReadOnlyList<int> stepsPerGroup, SamplerKind sampler, RecipeVersion? version, OperationRun run)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(run);
        var toInvert = Enumerable.Range(0, sources.Count).Where(i => sources[i].NeedsInversion).ToArray();
        var inverted = toInvert.Length == 0
            ? []
            : await run.Generator.InvertFromAsync(model, toInvert.Select(i => sources[i].Image!.Coefficients).ToArray(),
                toInvert.Select(i => sources[i].LatentFrom!.Value).ToArray(), stepsPerGroup, sampler, version, run.Tracker, run.CancellationToken);
        var grouping = model.Process.Grouping;
        return sources.Select((s, i) =>
            s.Recipe?.RealiseLatent(grouping)
            ?? (s.NeedsInversion ? inverted[Array.IndexOf(toInvert, i)] : new float[grouping.Shape.Size])).ToArray();
    }

    /// <summary>
    /// The version an edit's results get: the first source recipe's, so that they decode as their sources were made
    /// (none for a recipe made before versions), else the model's for new recipes (uploads only).
    /// </summary>
    public static RecipeVersion? VersionOf(IReadOnlyList<SourceInput> sources, LoadedModel model)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(model);
        return sources.FirstOrDefault(s => s.Recipe is not null)?.Recipe is { } recipe ? recipe.Version : model.NewRecipes;
    }

    /// <summary>Start at e_fromGroup from this source's finished groups: its recipe's image, or an upload's own coefficients.</summary>
    public PrefixStart Prefix(int fromGroup) =>
        Recipe is not null ? new PrefixStart.OfRecipe(fromGroup, Recipe) : new PrefixStart.OfCoefficients(fromGroup, Image!.Coefficients);
}
