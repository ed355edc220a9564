using Gdm.Core.Sampling;

namespace Gdm.Api.Endpoints.Contracts;

/// <summary>
/// A strip of images that differ in one latent coordinate: coordinate `coordinate` of group `group` (its index within
/// the group's coefficients; for dct-bands, group 0 coordinate 0 is the mean brightness's noise) set to each of `values`.
/// </summary>
public sealed record TraverseRequest
{
    /// <summary>Model name; the source recipe's model, else the default model, when absent.</summary>
    /// <example>null</example>
    public string? Model { get; init; }

    public ImageSource? Source { get; init; }

    /// <summary>The group whose coordinate moves; 0 when absent.</summary>
    /// <example>0</example>
    public int? Group { get; init; }

    /// <summary>The coordinate within the group; 0 when absent.</summary>
    /// <example>0</example>
    public int? Coordinate { get; init; }

    /// <summary>The latent values the coordinate takes, one image each (eps is N(0, 1), so about -3..3).</summary>
    /// <example>[-2, -1, 0, 1, 2]</example>
    public IReadOnlyList<float>? Values { get; init; }

    /// <summary>Steps per group (and of inverting an image source); the source recipe's, else the model's defaults, when absent.</summary>
    /// <example>null</example>
    public IReadOnlyList<int>? StepsPerGroup { get; init; }

    /// <summary>Sampler (and of inverting an image source); the source recipe's, else heun for an image, when absent.</summary>
    /// <example>null</example>
    public SamplerKind? Sampler { get; init; }

    /// <summary>Format of the separate images; the strip is always a PNG.</summary>
    /// <example>png</example>
    public OutputFormat? Format { get; init; }
}
