using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gdm.Core.Latents;

/// <summary>
/// The one serialisation of an ImageRecipe, used on the wire, in a PNG's text chunk and for the cache key: the
/// RecipeDocument as compact JSON, camelCase, lower-case enum words, absent members left out, floats as base64 of
/// little-endian float32. Recipes written before versions and grids existed read back unchanged.
/// </summary>
public static class RecipeJson
{
    /// <summary>2^53 - 1, the largest integer every JSON client (JavaScript's numbers included) holds exactly.</summary>
    public const double MaxSeed = 9007199254740991;

    /// <summary>MaxSeed as an integer.</summary>
    public const ulong MaxSeedValue = 9007199254740991;

    /// <summary>The serializer settings of recipes; the service's JSON uses the same, so both write one form.</summary>
    public static JsonSerializerOptions Options { get; } = ReadOnly(Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web)));

    /// <summary>Sets the recipe's JSON conventions on serializer options (camelCase, enum words, no nulls, no unknown members).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        return options;
    }

    // Read-only with its resolver, so contract metadata (GetTypeInfo) is available before the first serialisation.
    private static JsonSerializerOptions ReadOnly(JsonSerializerOptions options)
    {
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    public static string Serialize(ImageRecipe recipe) => JsonSerializer.Serialize(ToDocument(recipe), Options);

    /// <summary>The recipe's document as written (null only for "null").</summary>
    public static RecipeDocument? Deserialize(string json) => JsonSerializer.Deserialize<RecipeDocument>(json, Options);

    /// <summary>SHA-256 of the canonical JSON, lower-case hex: equal keys, equal images.</summary>
    public static string Key(ImageRecipe recipe) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Serialize(recipe))));

    public static RecipeDocument ToDocument(ImageRecipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        return new RecipeDocument
        {
            Model = recipe.Model,
            Version = recipe.Version?.Digest,
            Grid = recipe.Version?.Grid.Name,
            Noise = recipe.Latent is RecipeLatent.Seeded seeded
                ? seeded.Noise.Groups.Select(g => new GroupNoiseDocument
                {
                    Seed = g.Seed,
                    Redraws = g.Redraws.Count == 0 ? null : g.Redraws.Select(r => new NoiseRedrawDocument { Seed = r.Seed, Strength = r.Strength }).ToArray(),
                }).ToArray()
                : null,
            Latent = recipe.Latent is RecipeLatent.Explicit values ? EncodeFloats(values.Values.ToArray()) : null,
            StepsPerGroup = recipe.StepsPerGroup.ToArray(),
            Sampler = recipe.Sampler,
            Prefix = recipe.Prefix switch
            {
                null => null,
                PrefixStart.OfRecipe r => new PrefixDocument { FromGroup = r.FromGroup, Source = ToDocument(r.Source) },
                PrefixStart.OfCoefficients c => new PrefixDocument { FromGroup = c.FromGroup, Coefficients = EncodeFloats(c.Coefficients.ToArray()) },
                _ => throw new ArgumentOutOfRangeException(nameof(recipe), recipe.Prefix, "unknown prefix start"),
            },
        };
    }

    public static string EncodeFloats(ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        return Convert.ToBase64String(bytes);
    }

    /// <summary>The values of base64 little-endian float32, or null when it is not base64 of exactly count values.</summary>
    public static float[]? DecodeFloats(string base64, int count)
    {
        ArgumentNullException.ThrowIfNull(base64);
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var written) || written != count * sizeof(float))
            return null;
        var values = new float[count];
        for (var i = 0; i < count; i++)
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
        return values;
    }
}
