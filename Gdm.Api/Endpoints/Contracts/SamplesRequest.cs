using System.ComponentModel.DataAnnotations;
using Gdm.Core.Latents;
using Gdm.Core.Sampling;

namespace Gdm.Api.Endpoints.Contracts;

/// <summary>
/// New images. With only `count` and `seed`, image i uses seed + i for every group. A returned recipe (noise or latent,
/// steps, sampler, prefix) can be posted here as is to make its image again.
/// </summary>
public sealed record SamplesRequest
{
    /// <summary>Model name; the default model when absent.</summary>
    /// <example>fashion-dct</example>
    public string? Model { get; init; }

    /// <summary>
    /// The model version (a recipe's `version`: the first 12 hex digits of its network's SHA-256, as GET /v1/models lists).
    /// New images get the current version when absent; a recipe posted without version and grid was made before recipes
    /// named them and replays on the model's first version.
    /// </summary>
    /// <example>null</example>
    public string? Version { get; init; }

    /// <summary>The time grid, `uniform` or `band-warp:SIGMA_REF` (a recipe's `grid`); the model version's default when absent.</summary>
    /// <example>null</example>
    public string? Grid { get; init; }

    /// <summary>Number of images (1 when a recipe's noise or latent is given).</summary>
    /// <example>4</example>
    public int? Count { get; init; }

    /// <summary>Base seed, an integer in [0, 2^53 - 1]; image i uses seed + i. Drawn and returned when absent.</summary>
    /// <example>1234</example>
    [Range(0, RecipeJson.MaxSeed)]
    public ulong? Seed { get; init; }

    /// <summary>Steps per group: one value for all groups or one per group; the model's defaults when absent.</summary>
    /// <example>[8]</example>
    public IReadOnlyList<int>? StepsPerGroup { get; init; }

    /// <example>euler</example>
    public SamplerKind? Sampler { get; init; }

    /// <example>png</example>
    public OutputFormat? Format { get; init; }

    /// <summary>A recipe's per-group noise (instead of seed).</summary>
    public IReadOnlyList<GroupNoiseDocument>? Noise { get; init; }

    /// <summary>A recipe's explicit latent (instead of seed).</summary>
    /// <example>null</example>
    public string? Latent { get; init; }

    /// <summary>A recipe's prefix start.</summary>
    public PrefixDocument? Prefix { get; init; }
}
