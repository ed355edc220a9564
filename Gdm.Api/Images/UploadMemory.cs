namespace Gdm.Api.Images;

/// <summary>What decoding one upload may hold at its peak, estimated from the size its header declares.</summary>
public static class UploadMemory
{
    /// <summary>
    /// The decoded Rgb24 image (3 bytes a pixel), the copy the converter resizes (3), and the decoder's own buffers
    /// (a JPEG keeps 2-byte coefficients of up to 4 components, 8): 14, rounded up.
    /// </summary>
    public const int BytesPerPixel = 16;

    /// <summary>The pixels' share plus the file twice (the bytes as received and the copy handed to the decoder).</summary>
    public static long EstimateBytes(int width, int height, long fileBytes) => (long)width * height * BytesPerPixel + 2 * fileBytes;
}
