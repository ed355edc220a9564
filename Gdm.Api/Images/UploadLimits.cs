namespace Gdm.Api.Images;

/// <summary>What an upload may be: checked on the raw bytes, then on the declared size before any decoding.</summary>
public sealed record UploadLimits(long MaxBytes, int MaxWidthPixels, int MaxHeightPixels);
