using System.ComponentModel.DataAnnotations;
using Gdm.Core.Sampling;

namespace Gdm.Core.Latents;

/// <summary>
/// The serialised form of an ImageRecipe (RecipeJson reads and writes it; its members are the JSON's). The latent is
/// either `noise` (one seed per group, generation order, with any redraws) or `latent` (explicit values); absent
/// members take the defaults of the request's model.
/// </summary>
public sealed record RecipeDocument
{
    /// <summary>Model name, as listed by GET /v1/models.</summary>
    /// <example>fashion-dct</example>
    public string? Model { get; init; }

    /// <summary>
    /// The model version the recipe was made with: the first 12 hex digits of its network's SHA-256, as GET /v1/models
    /// lists. A recipe without version and grid was made before recipes named them and replays on the model's first
    /// version; a request without them (and without a recipe's noise or latent) gets the current version.
    /// </summary>
    /// <example>null</example>
    public string? Version { get; init; }

    /// <summary>The time grid, `uniform` or `band-warp:SIGMA_REF`; the model version's default when absent.</summary>
    /// <example>null</example>
    public string? Grid { get; init; }

    /// <summary>True when the recipe names its version or grid (made after recipes named them).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool NamesVersion => Version is not null || Grid is not null;

    /// <summary>One entry per group (index 0 = generated first): its seed and the redraws applied to it in order.</summary>
    public IReadOnlyList<GroupNoiseDocument>? Noise { get; init; }

    /// <summary>Explicit latent eps instead of seeds: base64 of C*H*W little-endian float32 in transform space.</summary>
    /// <example>null</example>
    public string? Latent { get; init; }

    /// <summary>Sampler steps inside each group's interval (one value for every group, or one per group); the model's defaults when absent.</summary>
    /// <example>null</example>
    public IReadOnlyList<int>? StepsPerGroup { get; init; }

    /// <summary>The ODE sampler: euler (one network call per step), heun (two) or heunEulerLast (heun with an Euler last step per group); euler when absent from a recipe without version, else the model version's default.</summary>
    /// <example>euler</example>
    public SamplerKind? Sampler { get; init; }

    /// <summary>Start at group `fromGroup`'s boundary from the finished groups of `source` (a recipe) or of `coefficients`.</summary>
    public PrefixDocument? Prefix { get; init; }
}

/// <summary>Seed of one group's noise, then redraws: eps' = cos(s pi/2) eps + sin(s pi/2) eps(seed).</summary>
public sealed record GroupNoiseDocument
{
    /// <summary>An integer in [0, 2^53 - 1], so every JSON client holds it exactly.</summary>
    /// <example>1234</example>
    [Range(0, RecipeJson.MaxSeed)]
    public required ulong Seed { get; init; }

    public IReadOnlyList<NoiseRedrawDocument>? Redraws { get; init; }
}

/// <summary>One redraw of a group's noise with a new seed at a strength in [0, 1] (1 replaces it).</summary>
public sealed record NoiseRedrawDocument
{
    /// <example>99</example>
    [Range(0, RecipeJson.MaxSeed)]
    public required ulong Seed { get; init; }

    /// <example>1</example>
    [Range(0.0, 1.0)]
    public required double Strength { get; init; }
}

/// <summary>
/// The kept groups 0 .. fromGroup-1 of a finished image, named by its recipe (`source`) or given as its coefficients
/// (`coefficients`: base64 little-endian float32 in transform space, C*H*W values). Exactly one of the two.
/// </summary>
public sealed record PrefixDocument
{
    /// <example>2</example>
    public required int FromGroup { get; init; }

    public RecipeDocument? Source { get; init; }

    /// <example>null</example>
    public string? Coefficients { get; init; }
}
