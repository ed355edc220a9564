using System.ComponentModel.DataAnnotations;

namespace Gdm.Api.Options;

/// <summary>What one request may ask for; a violation is a 400 naming the field (413 for the body).</summary>
public sealed class RequestLimitOptions
{
    public const string Section = "Limits";

    [Range(1, 4096)]
    public int MaxImagesPerRequest { get; set; } = 16;

    [Range(1, 100_000)]
    public int MaxStepsPerGroup { get; set; } = 200;

    [Range(1024, 1L << 30)]
    public long MaxRequestBodyBytes { get; set; } = 1 << 20;

    /// <summary>Redraws one group of a recipe's noise may carry (each variation at a strength adds one to its groups).</summary>
    [Range(1, 10_000)]
    public int MaxRedrawsPerGroup { get; set; } = 64;

    /// <summary>How deeply a recipe may nest prefix sources (a variation of a variation of ...).</summary>
    [Range(0, 64)]
    public int MaxPrefixDepth { get; set; } = 8;
}
