namespace Gdm.Api.Images;

/// <summary>What decoding one upload may hold at its peak, estimated from the size its header declares.</summary>
public static class UploadMemory
{
    /// <summary>
    /// The decoded Rgb24 image (3 bytes a pixel), the copy the converter resizes (3), and the decoder's own buffers
    /// (a JPEG keeps 2-byte coefficients of up to 4 components, 8): 14, rounded up.
    /// </summary>
    public const int BytesPerPixel = 16;

    /// <summary>
    /// The pixels' share, the file as received, the bytes handed to the decoder (a PNG's copy without the chunks it
    /// does not need; a JPEG's file again) and a PNG's kept text chunks (UTF-16 strings: 2 bytes a character).
    /// </summary>
    public static long EstimateBytes(int width, int height, long receivedBytes, long decoderBytes, long textCharacters) =>
        (long)width * height * BytesPerPixel + receivedBytes + decoderBytes + 2 * textCharacters;

    /// <summary>
    /// The most a file of fileBytes can need: the decoder's bytes and the kept text both come out of the file, so
    /// together they cost at most twice it (all text), on top of the file as received.
    /// </summary>
    public static long LargestEstimate(int width, int height, long fileBytes) => EstimateBytes(width, height, fileBytes, 0, fileBytes);
}
