using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Engine;
using Gdm.Api.Inference;
using Gdm.Api.Options;
using Gdm.Core.Latents;
using Gdm.Core.Sampling;

namespace Gdm.Api.Endpoints;

/// <summary>Wire recipes to engine recipes and back; every check names the JSON field it is about.</summary>
public static class RecipeMapping
{
    /// <summary>The JSON form used on the wire and in the PNG text chunk (camelCase, enums as lower-case words, no nulls).</summary>
    public static readonly JsonSerializerOptions Json = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        return options;
    }

    public static SamplerKind ToKind(SamplerName name) => name switch
    {
        SamplerName.Euler => SamplerKind.Euler,
        SamplerName.Heun => SamplerKind.Heun,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown sampler"),
    };

    public static SamplerName ToName(SamplerKind kind) => kind switch
    {
        SamplerKind.Euler => SamplerName.Euler,
        SamplerKind.Heun => SamplerName.Heun,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown sampler"),
    };

    public static Recipe ToContract(ImageRecipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        return new Recipe
        {
            Model = recipe.Model,
            Noise = recipe.Noise?.Groups.Select(g => new GroupNoiseSpec
            {
                Seed = g.Seed,
                Redraws = g.Redraws.Count == 0 ? null : g.Redraws.Select(r => new NoiseRedrawSpec { Seed = r.Seed, Strength = r.Strength }).ToArray(),
            }).ToArray(),
            Latent = recipe.Latent is null ? null : EncodeFloats(recipe.Latent.ToArray()),
            StepsPerGroup = recipe.StepsPerGroup.ToArray(),
            Sampler = ToName(recipe.Sampler),
            Prefix = recipe.Prefix is null ? null : new RecipePrefix
            {
                FromGroup = recipe.Prefix.FromGroup,
                Source = recipe.Prefix.Source is null ? null : ToContract(recipe.Prefix.Source),
                Coefficients = recipe.Prefix.Coefficients is null ? null : EncodeFloats(recipe.Prefix.Coefficients.ToArray()),
            },
        };
    }

    public static string ToJson(Recipe recipe) => JsonSerializer.Serialize(recipe, Json);

    /// <summary>
    /// A recipe from its wire fields, or null with errors added. `steps` and `sampler` fall back to the model's
    /// defaults; `seedForNoise` gives every group that seed when neither noise nor latent is given.
    /// </summary>
    public static ImageRecipe? ToRecipe(
        string prefix,
        LoadedModel model,
        IReadOnlyList<GroupNoiseSpec>? noise,
        string? latent,
        IReadOnlyList<int>? steps,
        SamplerName? sampler,
        RecipePrefix? start,
        ulong? seedForNoise,
        RequestLimitOptions limits,
        RequestErrors errors,
        int depth = 0)
    {
        var groups = model.Process.Grouping.Count;
        var errorsBefore = errors.Count;
        LatentRecipe? noiseRecipe = null;
        float[]? latentValues = null;
        if (noise is not null && latent is not null)
            errors.Add(RequestErrors.Join(prefix, "latent"), "give either noise or latent, not both");
        else if (noise is not null)
            noiseRecipe = ToNoise(RequestErrors.Join(prefix, "noise"), noise, groups, errors);
        else if (latent is not null)
            latentValues = ToLatent(RequestErrors.Join(prefix, "latent"), latent, model.Shape.Size, errors);
        else if (seedForNoise is { } seed)
            noiseRecipe = LatentRecipe.FromSeed(seed, groups);
        else
            errors.Add(RequestErrors.Join(prefix, "noise"), "a recipe needs noise (one seed per group) or a latent");

        var stepsPerGroup = ToSteps(RequestErrors.Join(prefix, "stepsPerGroup"), steps, model, limits, errors);
        PrefixStart? prefixStart = null;
        if (start is not null)
            prefixStart = ToPrefix(RequestErrors.Join(prefix, "prefix"), start, model, limits, errors, depth);

        if (errors.Count > errorsBefore || noiseRecipe is null && latentValues is null || stepsPerGroup is null)
            return null;
        return new ImageRecipe(model.Name, noiseRecipe, latentValues, stepsPerGroup, ToKind(sampler ?? SamplerName.Euler), prefixStart);
    }

    /// <summary>A complete wire recipe (a source, a prefix source) to an engine recipe of the given model.</summary>
    public static ImageRecipe? ToRecipe(string prefix, Recipe recipe, LoadedModel model, RequestLimitOptions limits, RequestErrors errors, int depth = 0)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        if (recipe.Model is not null && recipe.Model != model.Name)
        {
            errors.Add(RequestErrors.Join(prefix, "model"), $"is '{recipe.Model}', but this request uses model '{model.Name}'");
            return null;
        }

        return ToRecipe(prefix, model, recipe.Noise, recipe.Latent, recipe.StepsPerGroup, recipe.Sampler, recipe.Prefix, null, limits, errors, depth);
    }

    public static IReadOnlyList<int>? ToSteps(string field, IReadOnlyList<int>? steps, LoadedModel model, RequestLimitOptions limits, RequestErrors errors)
    {
        var groups = model.Process.Grouping.Count;
        if (steps is null)
            return model.Manifest.DefaultStepsPerGroup.ToArray();
        if (steps.Count != 1 && steps.Count != groups)
        {
            errors.Add(field, $"give one step count for every group or one per group ({groups}), got {steps.Count}");
            return null;
        }

        for (var i = 0; i < steps.Count; i++)
            if (steps[i] < 1 || steps[i] > limits.MaxStepsPerGroup)
            {
                errors.Add($"{field}[{i}]", $"must be between 1 and {limits.MaxStepsPerGroup}, got {steps[i]}");
                return null;
            }

        return steps.Count == groups ? steps.ToArray() : Enumerable.Repeat(steps[0], groups).ToArray();
    }

    public static string EncodeFloats(ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        return Convert.ToBase64String(bytes);
    }

    public static float[]? DecodeFloats(string base64, int count)
    {
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var written) || written != count * sizeof(float))
            return null;
        var values = new float[count];
        for (var i = 0; i < count; i++)
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
        return values;
    }

    private static LatentRecipe? ToNoise(string field, IReadOnlyList<GroupNoiseSpec> noise, int groups, RequestErrors errors)
    {
        if (noise.Count != groups)
        {
            errors.Add(field, $"needs one entry per group ({groups}), got {noise.Count}");
            return null;
        }

        var result = new GroupNoise[groups];
        for (var g = 0; g < groups; g++)
        {
            if (noise[g] is null)
            {
                errors.Add($"{field}[{g}]", "is missing");
                return null;
            }

            var redraws = noise[g].Redraws ?? [];
            for (var r = 0; r < redraws.Count; r++)
                if (redraws[r] is null || !(redraws[r].Strength >= 0 && redraws[r].Strength <= 1))
                {
                    errors.Add($"{field}[{g}].redraws[{r}].strength", "must be between 0 and 1");
                    return null;
                }

            result[g] = new GroupNoise(noise[g].Seed, redraws.Select(r => new NoiseRedraw(r.Seed, r.Strength)).ToArray());
        }

        return new LatentRecipe(result);
    }

    private static float[]? ToLatent(string field, string latent, int size, RequestErrors errors)
    {
        var values = DecodeFloats(latent, size);
        if (values is null)
        {
            errors.Add(field, $"must be base64 of {size} little-endian float32 values ({size * sizeof(float)} bytes)");
            return null;
        }

        var bad = Array.FindIndex(values, v => !float.IsFinite(v));
        if (bad >= 0)
        {
            errors.Add(field, $"value {bad} is not a finite number");
            return null;
        }

        return values;
    }

    private static PrefixStart? ToPrefix(string field, RecipePrefix start, LoadedModel model, RequestLimitOptions limits, RequestErrors errors, int depth)
    {
        var groups = model.Process.Grouping.Count;
        if (depth + 1 > limits.MaxPrefixDepth)
        {
            errors.Add(field, $"prefix sources nest deeper than the limit of {limits.MaxPrefixDepth}");
            return null;
        }

        if (start.FromGroup < 1 || start.FromGroup >= groups)
        {
            errors.Add(RequestErrors.Join(field, "fromGroup"), $"must be between 1 and {groups - 1} (a prefix start keeps at least one group and redraws at least one)");
            return null;
        }

        if (model.Process.Schedule.Overlap > 0)
        {
            errors.Add(RequestErrors.Join(field, "fromGroup"), $"model {model.Name} has overlapping group intervals, so its groups are not finished at a boundary: no prefix start");
            return null;
        }

        if ((start.Source is null) == (start.Coefficients is null))
        {
            errors.Add(RequestErrors.Join(field, "source"), "a prefix needs exactly one of source (a recipe) or coefficients");
            return null;
        }

        if (start.Coefficients is not null)
        {
            var coefficients = ToLatent(RequestErrors.Join(field, "coefficients"), start.Coefficients, model.Shape.Size, errors);
            return coefficients is null ? null : PrefixStart.FromCoefficients(start.FromGroup, coefficients);
        }

        var source = ToRecipe(RequestErrors.Join(field, "source"), start.Source!, model, limits, errors, depth + 1);
        return source is null ? null : PrefixStart.FromSource(start.FromGroup, source);
    }
}
