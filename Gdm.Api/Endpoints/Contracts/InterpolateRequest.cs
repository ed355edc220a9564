using Gdm.Core.Sampling;

namespace Gdm.Api.Endpoints.Contracts;

/// <summary>
/// Frames between two images A and B: every frame keeps A's groups below `fromGroup` and takes, for the groups from
/// `fromGroup` on, a spherical interpolation of A's and B's latents, from A (frame 0) to B (the last frame).
/// </summary>
public sealed record InterpolateRequest
{
    /// <summary>Model name; the first source recipe's, else the default model, when absent.</summary>
    /// <example>null</example>
    public string? Model { get; init; }

    /// <summary>A and B, each `{ "recipe": ... }` or `{ "image": ... }`.</summary>
    public IReadOnlyList<ImageSource>? Sources { get; init; }

    /// <summary>The first interpolated group; the groups below it are A's, finished (0 when absent: every group moves).</summary>
    /// <example>1</example>
    public int? FromGroup { get; init; }

    /// <summary>Number of frames, at least 2: frame k is at k / (frames - 1) of the arc from A to B.</summary>
    /// <example>5</example>
    public int? Frames { get; init; }

    /// <summary>Steps per group (and of inverting an image source); A's recipe's, else the model's defaults, when absent.</summary>
    /// <example>null</example>
    public IReadOnlyList<int>? StepsPerGroup { get; init; }

    /// <summary>Sampler (and of inverting an image source); A's recipe's when absent, heun when an image is inverted.</summary>
    /// <example>null</example>
    public SamplerKind? Sampler { get; init; }

    /// <example>png</example>
    public OutputFormat? Format { get; init; }
}
