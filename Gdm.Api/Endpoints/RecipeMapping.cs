using System.Text.Json;
using Gdm.Api.Inference;
using Gdm.Api.Options;
using Gdm.Core.Latents;

namespace Gdm.Api.Endpoints;

/// <summary>The service's JSON (the recipe's own conventions, RecipeJson) and the recipe rules of a loaded model.</summary>
public static class RecipeMapping
{
    /// <summary>The JSON form used on the wire and in the PNG text chunk (camelCase, enums as lower-case words, no nulls).</summary>
    public static JsonSerializerOptions Json => RecipeJson.Options;

    public static JsonSerializerOptions Configure(JsonSerializerOptions options) => RecipeJson.Configure(options);

    public static RecipeRules Rules(LoadedModel model, RequestLimitOptions limits)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(limits);
        return new RecipeRules(
            model.Name,
            model.Digest,
            model.Process.Grouping.Count,
            model.Shape.Size,
            model.Manifest.DefaultStepsPerGroup,
            model.Manifest.DefaultGridSpacing,
            model.Manifest.DefaultSamplerKind,
            model.Manifest.Statistics is not null,
            model.Process.Schedule.Overlap > 0,
            limits.MaxStepsPerGroup,
            limits.MaxPrefixDepth)
        {
            MaxRedrawsPerGroup = limits.MaxRedrawsPerGroup,
        };
    }

    /// <summary>A complete wire recipe (a source, a prefix source) to a recipe of the given model, or null with errors added.</summary>
    public static ImageRecipe? ToRecipe(string path, RecipeDocument recipe, LoadedModel model, RequestLimitOptions limits, RequestErrors errors)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        return Rules(model, limits).Check(recipe, path, errors);
    }

    public static IReadOnlyList<int>? ToSteps(string field, IReadOnlyList<int>? steps, LoadedModel model, RequestLimitOptions limits, RequestErrors errors) =>
        Rules(model, limits).CheckSteps(steps, field, errors);

    public static string EncodeFloats(ReadOnlySpan<float> values) => RecipeJson.EncodeFloats(values);
}
