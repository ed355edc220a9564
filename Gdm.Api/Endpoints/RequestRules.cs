using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Inference;
using Gdm.Api.Options;
using Gdm.Core.Latents;
using Gdm.Core.Sampling;

namespace Gdm.Api.Endpoints;

/// <summary>
/// The rules every operation shares, in one place: image counts, seeds, strengths, the source shape
/// `{ recipe | image }`, the model version of the sources, and the defaults of steps and sampler (the request's, else
/// the source recipe's; heun for any inversion, whose Euler error is too large to edit with; else the model version's).
/// </summary>
public static class RequestRules
{
    public static int Count(int? asked, RequestLimitOptions limits, RequestErrors errors, string field = "count")
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(errors);
        var count = asked ?? 1;
        if (count < 1 || count > limits.MaxImagesPerRequest)
            errors.Add(field, $"must be between 1 and {limits.MaxImagesPerRequest}, got {count}");
        return count;
    }

    /// <summary>The given base seed, checked so that seed + count - 1 stays within [0, 2^53 - 1], or a drawn one.</summary>
    public static ulong Seed(ulong? asked, int count, RequestErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (asked is not { } seed)
            return ImageOutput.DrawSeed();
        if (RecipeRules.CheckSeed(seed, "seed", errors) && seed + (ulong)Math.Max(0, count - 1) > RecipeJson.MaxSeedValue)
            errors.Add("seed", $"seed + count - 1 must stay at most {RecipeJson.MaxSeedValue} (2^53 - 1)");
        return seed;
    }

    public static double Strength(double? asked, RequestErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var strength = asked ?? 1.0;
        if (!(strength >= 0 && strength <= 1))
            errors.Add("strength", $"must be between 0 and 1, got {strength}");
        return strength;
    }

    /// <summary>A source names exactly one of a recipe or an uploaded image.</summary>
    public static bool Source(ImageSource? source, string field, RequestErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (source is not null && (source.Recipe is null) != (source.Image is null))
            return true;
        errors.Add(field, "give the source as exactly one of { \"recipe\": ... } or { \"image\": ... }");
        return false;
    }

    /// <summary>
    /// The request's model, else the model version the source recipes were made with (all the same one), else the
    /// current version of the default model; a conflict is an error.
    /// </summary>
    public static LoadedModel? Model(string? asked, IEnumerable<(RecipeDocument? Recipe, string Field)> sources, PlanningContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var recipes = sources.Where(s => s.Recipe is not null).ToArray();
        var named = recipes.FirstOrDefault(s => s.Recipe!.Model is not null);
        if (asked is not null && named.Recipe?.Model is { } other && other != asked)
        {
            context.Errors.Add("model", $"is '{asked}', but {named.Field} names model '{other}'");
            return null;
        }

        if (recipes.Length == 0)
            return context.ResolveModel(asked);
        LoadedModel? model = null;
        foreach (var (recipe, field) in recipes)
        {
            var made = context.ResolveModel(recipe! with { Model = recipe!.Model ?? asked ?? named.Recipe?.Model }, field + ".model");
            if (made is null)
                return null;
            if (model is not null && made != model)
            {
                context.Errors.Add(FieldError.Join(field, "version"), $"was made with {made.Label}, but {recipes[0].Field} with {model.Label}: the sources of one request must come from one model version");
                return null;
            }

            model ??= made;
        }

        return model;
    }

    /// <summary>A result that starts from a source recipe's finished image nests one prefix deeper than the source: within the limit.</summary>
    public static void PrefixDepth(ImageRecipe? source, bool startsFromIt, string field, RequestLimitOptions limits, RequestErrors errors)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(errors);
        if (startsFromIt && source is not null && source.Depth + 1 > limits.MaxPrefixDepth)
            errors.Add(field, $"the source already nests {source.Depth} prefix starts; the limit is {limits.MaxPrefixDepth}");
    }

    public static IReadOnlyList<int>? Steps(IReadOnlyList<int>? asked, ImageRecipe? source, LoadedModel model, RequestLimitOptions limits, RequestErrors errors) =>
        asked is null && source is not null ? source.StepsPerGroup : RecipeMapping.ToSteps("stepsPerGroup", asked, model, limits, errors);

    /// <summary>The request's sampler, else heun for an inversion, else the source recipe's, else the model version's default.</summary>
    public static SamplerKind Sampler(SamplerKind? asked, ImageRecipe? source, bool inverts, LoadedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return asked ?? (inverts ? SamplerKind.Heun : source?.Sampler ?? model.Manifest.DefaultSamplerKind);
    }
}
