using Gdm.Core.Sampling;

namespace Gdm.Api.Endpoints.Contracts;

/// <summary>An image to encode into its latent by ODE inversion.</summary>
public sealed record EncodeRequest
{
    /// <summary>Model name; the default model when absent.</summary>
    /// <example>fashion-dct</example>
    public string? Model { get; init; }

    public ImageUpload? Image { get; init; }

    /// <summary>ODE sampler of the inversion and of the decode that checks it; heun when absent.</summary>
    /// <example>heun</example>
    public SamplerKind? Sampler { get; init; }

    /// <summary>Steps per group of the inversion and the decode: one value for all groups or one per group; the model's defaults when absent.</summary>
    /// <example>null</example>
    public IReadOnlyList<int>? StepsPerGroup { get; init; }

    /// <summary>Format of the returned reconstruction.</summary>
    /// <example>png</example>
    public OutputFormat? Format { get; init; }
}
