using System.Buffers.Binary;
using System.Text;

namespace Gdm.Api.Images;

/// <summary>
/// Reads a PNG's chunk structure before anything in it is inflated (W3C PNG specification, 2nd edition, sections 5
/// and 11): the IHDR fields against the combinations the format allows and against the limits, every chunk's length
/// against the bytes left, PLTE where a palette is needed, IDAT present, IEND at the end, at most MaxFrames animation
/// frames. Returns the file with only the chunks decoding needs (IHDR, PLTE, tRNS, IDAT, IEND): text, ICC, EXIF and
/// animation chunks are dropped unread, so a zTXt or iCCP that would inflate to gigabytes is never inflated. The
/// uncompressed tEXt chunks are kept aside by keyword (a recipe travels in one), never inflated either.
/// </summary>
public static class PngPreflight
{
    private static readonly byte[] SignatureBytes = [137, 80, 78, 71, 13, 10, 26, 10];

    public static ReadOnlySpan<byte> Signature => SignatureBytes;

    public static UploadHeader Read(byte[] file, string field, UploadLimits limits)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(limits);
        if (!file.AsSpan().StartsWith(Signature))
            throw Corrupt(field, "it does not start with the PNG signature");

        var kept = new byte[file.Length];
        Signature.CopyTo(kept);
        var keptLength = Signature.Length;
        var header = default(Header?);
        bool palette = false, pixels = false, end = false;
        long declaredFrames = 1;
        var frameControls = 0;
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var at = Signature.Length;
        while (at < file.Length && !end)
        {
            if (file.Length - at < 12)
                throw Corrupt(field, $"{file.Length - at} bytes at byte {at} cannot hold a chunk (12 bytes at least)");
            var length = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(at));
            var typeBytes = file.AsSpan(at + 4, 4);
            if (!IsChunkType(typeBytes))
                throw Corrupt(field, $"the chunk at byte {at} has no valid type");
            var type = Encoding.ASCII.GetString(typeBytes);
            var remaining = file.Length - at - 12;
            if (length > remaining)
                throw Corrupt(field, $"chunk {type} at byte {at} declares {length} bytes, {remaining} remain");
            var data = file.AsSpan(at + 8, (int)length);
            if (header is null && type != "IHDR")
                throw Corrupt(field, $"its first chunk is {type}, it must be IHDR");

            var keep = true;
            switch (type)
            {
                case "IHDR":
                    if (header is not null)
                        throw Corrupt(field, "it has two IHDR chunks");
                    header = ReadHeader(data, field, limits);
                    break;
                case "PLTE":
                    if (length == 0 || length % 3 != 0 || length > 256 * 3)
                        throw Corrupt(field, $"its palette (PLTE) holds {length} bytes, not 1 to 256 RGB entries");
                    if (pixels)
                        throw Corrupt(field, "its palette (PLTE) comes after the image data (IDAT)");
                    palette = true;
                    break;
                case "IDAT":
                    pixels = true;
                    break;
                case "IEND":
                    end = true;
                    break;
                case "tRNS":
                    keep = length <= 256;
                    break;
                case "acTL":
                    if (length >= 4)
                        declaredFrames = Math.Max(declaredFrames, BinaryPrimitives.ReadUInt32BigEndian(data));
                    keep = false;
                    break;
                case "fcTL":
                    frameControls++;
                    keep = false;
                    break;
                case "tEXt":
                    if (Text(data) is var (keyword, text))
                        texts.TryAdd(keyword, text);
                    keep = false;
                    break;
                default:
                    // Bit 5 of the first letter clear (upper case) marks a critical chunk: a decoder that does not know it must stop.
                    if ((typeBytes[0] & 0x20) == 0)
                        throw Invalid(field, $"it has a critical chunk {type} that no PNG decoder knows");
                    keep = false;
                    break;
            }

            var frames = Math.Max(declaredFrames, frameControls);
            if (frames > limits.MaxFrames)
                throw TooLarge(field, $"the PNG declares {frames} animation frames; at most {limits.MaxFrames} are accepted (Uploads:MaxFramesPerImage)");
            if (keep)
            {
                file.AsSpan(at, 12 + (int)length).CopyTo(kept.AsSpan(keptLength));
                keptLength += 12 + (int)length;
            }

            at += 12 + (int)length;
        }

        if (header is not { } ihdr)
            throw Corrupt(field, "it has no IHDR chunk");
        if (ihdr.ColourType == 3 && !palette)
            throw Corrupt(field, "colour type 3 (palette) needs a PLTE chunk, it has none");
        if (!pixels)
            throw Corrupt(field, "it has no image data (no IDAT chunk)");
        if (!end)
            throw Corrupt(field, "it ends without its IEND chunk");
        return new UploadHeader("PNG", ihdr.Width, ihdr.Height, (int)Math.Max(declaredFrames, frameControls), kept[..keptLength]) { Texts = texts, ReceivedBytes = file.Length };
    }

    // A tEXt chunk is a Latin-1 keyword of 1 to 79 bytes, a zero byte, then Latin-1 text (section 11.3.3.2); null when it is not.
    private static (string Keyword, string Text)? Text(ReadOnlySpan<byte> data)
    {
        var separator = data.IndexOf((byte)0);
        if (separator is < 1 or > 79)
            return null;
        return (Encoding.Latin1.GetString(data[..separator]), Encoding.Latin1.GetString(data[(separator + 1)..]));
    }

    private readonly record struct Header(int Width, int Height, int ColourType);

    private static Header ReadHeader(ReadOnlySpan<byte> data, string field, UploadLimits limits)
    {
        if (data.Length != 13)
            throw Corrupt(field, $"its IHDR chunk holds {data.Length} bytes, it must hold 13");
        var width = BinaryPrimitives.ReadUInt32BigEndian(data);
        var height = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        int bitDepth = data[8], colourType = data[9], compression = data[10], filter = data[11], interlace = data[12];
        if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue)
            throw Invalid(field, $"IHDR declares {width}x{height} pixels: each side must be 1 to 2^31-1");
        if (width > limits.MaxWidthPixels || height > limits.MaxHeightPixels)
            throw TooLarge(field, $"the image declares {width}x{height} pixels; at most {limits.MaxWidthPixels}x{limits.MaxHeightPixels} are accepted");
        int[] depths = colourType switch
        {
            0 => [1, 2, 4, 8, 16],
            2 or 4 or 6 => [8, 16],
            3 => [1, 2, 4, 8],
            _ => throw Invalid(field, $"IHDR declares colour type {colourType}; PNG has types 0, 2, 3, 4 and 6"),
        };
        if (!depths.Contains(bitDepth))
            throw Invalid(field, $"IHDR declares bit depth {bitDepth} with colour type {colourType}, which allows {string.Join(", ", depths)}");
        if (compression != 0)
            throw Invalid(field, $"IHDR declares compression method {compression}; PNG has only method 0 (deflate)");
        if (filter != 0)
            throw Invalid(field, $"IHDR declares filter method {filter}; PNG has only method 0");
        if (interlace > 1)
            throw Invalid(field, $"IHDR declares interlace method {interlace}; PNG has methods 0 (none) and 1 (Adam7)");
        return new Header((int)width, (int)height, colourType);
    }

    private static bool IsChunkType(ReadOnlySpan<byte> type)
    {
        foreach (var b in type)
            if (b is not (>= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z'))
                return false;
        return true;
    }

    private static UploadRejectedException Corrupt(string field, string detail) => new(field, $"the PNG image is corrupt or truncated: {detail}");

    private static UploadRejectedException Invalid(string field, string detail) => new(field, $"the PNG image cannot be decoded: {detail}");

    private static UploadRejectedException TooLarge(string field, string message) => new(field, message, StatusCodes.Status413PayloadTooLarge);
}
