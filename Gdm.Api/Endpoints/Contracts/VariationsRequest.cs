using System.ComponentModel.DataAnnotations;
using Gdm.Core.Latents;
using Gdm.Core.Sampling;

namespace Gdm.Api.Endpoints.Contracts;

/// <summary>
/// Variations of an image: keep its groups before the first redrawn one exactly and redraw the named groups' noise.
/// The run starts at that group's boundary from the source's finished prefix, so only the redrawn levels' steps run.
/// The source is a recipe or an upload, as in mix and traverse: an upload's own coefficients of the groups below
/// `fromGroup` are that prefix, so it needs no inversion.
/// </summary>
public sealed record VariationsRequest
{
    /// <summary>
    /// The image to vary: `{ "recipe": ... }` (seeds or an explicit latent) or `{ "image": ... }`, an upload whose groups
    /// below `fromGroup` are kept as its own coefficients and every later group drawn anew (so it takes `fromGroup`, at
    /// least 1, and strength 1).
    /// </summary>
    public ImageSource? Source { get; init; }

    /// <summary>Model of an uploaded image; the default model when absent (a source recipe names its own).</summary>
    /// <example>null</example>
    public string? Model { get; init; }

    /// <summary>Groups whose noise is redrawn (give this or fromGroup).</summary>
    /// <example>null</example>
    public IReadOnlyList<int>? Groups { get; init; }

    /// <summary>Redraw this group and every later one (give this or groups).</summary>
    /// <example>2</example>
    public int? FromGroup { get; init; }

    /// <summary>0 keeps the noise, 1 replaces it; between, eps' = cos(s pi/2) eps + sin(s pi/2) eps_new.</summary>
    /// <example>1</example>
    public double? Strength { get; init; }

    /// <example>4</example>
    public int? Count { get; init; }

    /// <summary>Base seed of the new noise, an integer in [0, 2^53 - 1]; variation i uses seed + i. Drawn and returned when absent.</summary>
    /// <example>77</example>
    [Range(0, RecipeJson.MaxSeed)]
    public ulong? Seed { get; init; }

    /// <summary>Steps per group for the redrawn levels; the source's when absent.</summary>
    /// <example>null</example>
    public IReadOnlyList<int>? StepsPerGroup { get; init; }

    /// <example>null</example>
    public SamplerKind? Sampler { get; init; }

    /// <example>png</example>
    public OutputFormat? Format { get; init; }
}
