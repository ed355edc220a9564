namespace Gdm.Api.Images;

/// <summary>
/// An upload read up to its pixels: the format, the declared size and animation frames, and the bytes the decoder is
/// given (for a PNG, the file without the chunks decoding does not need), and a PNG's uncompressed text chunks by keyword.
/// </summary>
public sealed record UploadHeader(string Format, int Width, int Height, int Frames, byte[] Bytes)
{
    public IReadOnlyDictionary<string, string> Texts { get; init; } = new Dictionary<string, string>();

    /// <summary>The upload's length as received: those bytes are still held while the decoder works on Bytes.</summary>
    public required long ReceivedBytes { get; init; }

    public long EstimatedDecodeBytes =>
        UploadMemory.EstimateBytes(Width, Height, ReceivedBytes, Bytes.Length, Texts.Sum(text => (long)text.Key.Length + text.Value.Length));
}
