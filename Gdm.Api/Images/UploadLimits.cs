namespace Gdm.Api.Images;

/// <summary>What an upload may be: checked on the raw bytes, then on its header (size, frames, scans) before any pixel is decoded.</summary>
public sealed record UploadLimits(long MaxBytes, int MaxWidthPixels, int MaxHeightPixels, int MaxFrames = 64, int MaxJpegScans = 64);
