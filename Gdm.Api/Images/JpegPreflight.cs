using System.Buffers.Binary;

namespace Gdm.Api.Images;

/// <summary>
/// Walks a JPEG's markers before any pixel is decoded (ITU-T T.81, annex B): every segment's length against the bytes
/// left, exactly one frame header of a coding process the decoder has (baseline, extended or progressive; Huffman or
/// arithmetic), its size against the limits, and at most MaxJpegScans scans: every progressive scan walks all blocks
/// again, so a small file of thousands of scans is a CPU bomb. The entropy-coded data between markers is skipped.
/// </summary>
public static class JpegPreflight
{
    private const byte StartOfImage = 0xD8;
    private const byte EndOfImage = 0xD9;
    private const byte StartOfScan = 0xDA;

    public static bool HasSignature(ReadOnlySpan<byte> file) => file.Length >= 3 && file[0] == 0xFF && file[1] == StartOfImage && file[2] == 0xFF;

    public static UploadHeader Read(byte[] file, string field, UploadLimits limits)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(limits);
        if (!HasSignature(file))
            throw Corrupt(field, "it does not start with a JPEG start-of-image marker");

        (int Width, int Height)? frame = null;
        var scans = 0;
        var at = 2;
        while (at < file.Length)
        {
            if (file[at] != 0xFF)
                throw Corrupt(field, $"byte {at} should start a marker, it is 0x{file[at]:X2}");
            while (at < file.Length && file[at] == 0xFF)
                at++; // fill bytes
            if (at >= file.Length)
                break;
            var code = file[at++];
            if (code == EndOfImage)
                break;
            if (code is >= 0xD0 and <= 0xD7 or 0x01)
                continue; // RSTn and TEM stand alone
            if (code is 0x00 or StartOfImage)
                throw Corrupt(field, $"marker 0x{code:X2} at byte {at - 2} is not allowed there");
            if (file.Length - at < 2)
                break;
            var length = BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(at));
            if (length < 2 || length > file.Length - at)
                throw Corrupt(field, $"segment 0x{code:X2} at byte {at - 2} declares {length} bytes, {file.Length - at} remain");
            var segment = file.AsSpan(at + 2, length - 2);
            at += length;
            if (IsFrameHeader(code))
            {
                if (frame is not null)
                    throw Corrupt(field, "it has two frame headers (SOF)");
                frame = ReadFrame(code, segment, field, limits);
            }
            else if (code == StartOfScan)
            {
                if (frame is null)
                    throw Corrupt(field, "a scan (SOS) comes before the frame header (SOF)");
                if (++scans > limits.MaxJpegScans)
                    throw new UploadRejectedException(field, $"the JPEG has more than {limits.MaxJpegScans} scans (Uploads:MaxJpegScans)", StatusCodes.Status413PayloadTooLarge);
                at = SkipEntropyCodedData(file, at);
            }
        }

        if (frame is not { } size)
            throw Corrupt(field, "it ends before its frame header (SOF)");
        if (scans == 0)
            throw Corrupt(field, "it ends before its first scan (SOS)");
        return new UploadHeader("JPEG", size.Width, size.Height, 1, file) { ReceivedBytes = file.Length };
    }

    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range.
    private static bool IsFrameHeader(byte code) => code is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC);

    private static (int Width, int Height) ReadFrame(byte code, ReadOnlySpan<byte> segment, string field, UploadLimits limits)
    {
        var process = code switch
        {
            0xC0 or 0xC1 or 0xC2 or 0xC9 or 0xCA => null,
            0xC3 => "lossless (SOF3)",
            0xC5 or 0xC6 or 0xC7 => $"hierarchical (SOF{code - 0xC0})",
            0xCB => "lossless arithmetic (SOF11)",
            _ => $"hierarchical arithmetic (SOF{code - 0xC0})",
        };
        if (process is not null)
            throw new UploadRejectedException(field, $"the JPEG is {process}, a coding process the decoder does not have: send a baseline or progressive JPEG, or a PNG");
        if (segment.Length < 6)
            throw Corrupt(field, $"its frame header holds {segment.Length} bytes, at least 6 are needed");
        int precision = segment[0], height = BinaryPrimitives.ReadUInt16BigEndian(segment[1..]), width = BinaryPrimitives.ReadUInt16BigEndian(segment[3..]);
        int components = segment[5];
        if (precision is not (8 or 12))
            throw new UploadRejectedException(field, $"the JPEG declares {precision}-bit samples; 8 and 12 are accepted");
        if (components is < 1 or > 4 || segment.Length != 6 + 3 * components)
            throw Corrupt(field, $"its frame header declares {components} components in {segment.Length} bytes (1 to 4 components, 3 bytes each)");
        for (var c = 0; c < components; c++)
        {
            var sampling = segment[6 + 3 * c + 1];
            if (sampling >> 4 is < 1 or > 4 || (sampling & 15) is < 1 or > 4)
                throw Corrupt(field, $"component {c} declares sampling factors {sampling >> 4}x{sampling & 15}; each must be 1 to 4");
        }

        if (height == 0)
            throw new UploadRejectedException(field, "the JPEG declares height 0 (its height would follow in a DNL marker), which is not supported");
        if (width == 0)
            throw Corrupt(field, "it declares width 0");
        if (width > limits.MaxWidthPixels || height > limits.MaxHeightPixels)
            throw new UploadRejectedException(field, $"the image declares {width}x{height} pixels; at most {limits.MaxWidthPixels}x{limits.MaxHeightPixels} are accepted", StatusCodes.Status413PayloadTooLarge);
        return (width, height);
    }

    // Entropy-coded bytes run to the next marker: 0xFF followed by anything but 0x00 (a stuffed 0xFF), RSTn or fill.
    private static int SkipEntropyCodedData(byte[] file, int at)
    {
        var next = file.AsSpan(at).IndexOf((byte)0xFF);
        while (next >= 0)
        {
            var position = at + next;
            if (position + 1 >= file.Length)
                return file.Length;
            var following = file[position + 1];
            if (following is not (0x00 or 0xFF) && following is not (>= 0xD0 and <= 0xD7))
                return position;
            at = position + (following == 0xFF ? 1 : 2);
            next = file.AsSpan(at).IndexOf((byte)0xFF);
        }

        return file.Length;
    }

    private static UploadRejectedException Corrupt(string field, string detail) => new(field, $"the JPEG image is corrupt or truncated: {detail}");
}
