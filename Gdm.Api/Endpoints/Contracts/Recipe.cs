namespace Gdm.Api.Endpoints.Contracts;

/// <summary>
/// Everything that makes one image. POST /v1/samples accepts a recipe as is and returns the same image bit for bit.
/// The latent is either `noise` (one seed per group, generation order, with any redraws) or `latent` (explicit values).
/// </summary>
public sealed record Recipe
{
    /// <summary>Model name, as listed by GET /v1/models.</summary>
    /// <example>fashion-dct</example>
    public string? Model { get; init; }

    /// <summary>One entry per group (index 0 = generated first): its seed and the redraws applied to it in order.</summary>
    public IReadOnlyList<GroupNoiseSpec>? Noise { get; init; }

    /// <summary>Explicit latent eps instead of seeds: base64 of C*H*W little-endian float32 in transform space.</summary>
    /// <example>null</example>
    public string? Latent { get; init; }

    /// <summary>Sampler steps inside each group's interval (one value for every group, or one per group).</summary>
    /// <example>[8, 8, 8, 8, 8]</example>
    public IReadOnlyList<int>? StepsPerGroup { get; init; }

    /// <summary>euler or heun.</summary>
    /// <example>euler</example>
    public SamplerName? Sampler { get; init; }

    /// <summary>For a variation: start at group `fromGroup`'s boundary from the finished image of `source`.</summary>
    public RecipePrefix? Prefix { get; init; }
}

/// <summary>Seed of one group's noise, then redraws: eps' = cos(s pi/2) eps + sin(s pi/2) eps(seed).</summary>
public sealed record GroupNoiseSpec
{
    /// <example>1234</example>
    public ulong Seed { get; init; }

    public IReadOnlyList<NoiseRedrawSpec>? Redraws { get; init; }
}

/// <summary>One redraw of a group's noise with a new seed at a strength in [0, 1] (1 replaces it).</summary>
public sealed record NoiseRedrawSpec
{
    /// <example>99</example>
    public ulong Seed { get; init; }

    /// <example>1</example>
    public double Strength { get; init; }
}

/// <summary>
/// The kept prefix of a variation: groups 0 .. fromGroup-1 of a finished image, named by its recipe (`source`) or given
/// as its coefficients (`coefficients`: base64 little-endian float32 in transform space, C*H*W values).
/// </summary>
public sealed record RecipePrefix
{
    /// <example>2</example>
    public int FromGroup { get; init; }

    public Recipe? Source { get; init; }

    /// <example>null</example>
    public string? Coefficients { get; init; }
}
