using Gdm.Core.Sampling;

namespace Gdm.Api.Endpoints.Contracts;

/// <summary>
/// One image whose groups come from two or more sources: `groupSources[g]` is the index in `sources` of the source of
/// group g (generation order, 0 = coarsest for dct-bands).
/// </summary>
public sealed record MixRequest
{
    /// <summary>Model name; the model of the first recipe source, else the default model, when absent.</summary>
    /// <example>null</example>
    public string? Model { get; init; }

    /// <summary>Two or more recipes or uploaded images.</summary>
    public IReadOnlyList<ImageSource>? Sources { get; init; }

    /// <summary>For each group, the index of its source in `sources`.</summary>
    /// <example>[0, 0, 1, 1, 1, 1]</example>
    public IReadOnlyList<int>? GroupSources { get; init; }

    /// <summary>Steps per group of the output (and of inverting any image source); the first recipe source's, else the model's defaults, when absent.</summary>
    /// <example>null</example>
    public IReadOnlyList<int>? StepsPerGroup { get; init; }

    /// <summary>Sampler of the output (and of inverting any image source); when absent heun if an image is inverted, else the first recipe source's.</summary>
    /// <example>null</example>
    public SamplerKind? Sampler { get; init; }

    /// <example>png</example>
    public OutputFormat? Format { get; init; }
}
