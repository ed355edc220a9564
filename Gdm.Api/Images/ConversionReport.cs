namespace Gdm.Api.Images;

/// <summary>What the upload was before conversion, whether its levels were inverted, and the steps taken; its size after is the model's shape.</summary>
public sealed record ConversionReport(string Format, int OriginalWidth, int OriginalHeight, bool Inverted, string Steps);
