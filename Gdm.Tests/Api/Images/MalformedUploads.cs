using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Gdm.Tests.Api.Images;

/// <summary>One generated upload: what kind of damage it carries and its bytes.</summary>
public sealed record MalformedUpload(string Kind, byte[] Bytes);

/// <summary>
/// Seeded malformed uploads of every kind an attacker or a broken client sends: truncations and bit flips of good PNGs
/// and JPEGs, IHDR and SOF fields outside the format, metadata chunk bombs (zTXt, iTXt, iCCP that inflate to
/// hundreds of MB), bad deflate data, huge declared sizes, animated PNGs and GIFs with thousands of frames, JPEGs of
/// coding processes the decoder lacks or with thousands of scans, other formats and noise. The same seed gives the
/// same files. Shared by the fuzz test and the bench's fuzz mode.
/// </summary>
public sealed class MalformedUploads
{
    private static readonly uint[] CrcTable = BuildCrcTable();
    private static readonly Lazy<byte[]> InflatesTo256MiB = new(() => Deflate(256));

    private readonly Random _random;

    public MalformedUploads(int seed)
    {
        _random = new Random(seed);
        using var grey = Pattern(28, 28);
        GoodPng = Encode(grey, new PngEncoder { ColorType = PngColorType.Grayscale });
        using var colour = Pattern(40, 30);
        GoodColourPng = Encode(colour, new PngEncoder());
        GoodJpeg = Encode(colour, new JpegEncoder { Quality = 90 });
    }

    /// <summary>A zlib stream that inflates to 256 MiB of zeros: the payload of the chunk bombs.</summary>
    public static byte[] Bomb => InflatesTo256MiB.Value;

    public byte[] GoodPng { get; }

    public byte[] GoodColourPng { get; }

    public byte[] GoodJpeg { get; }

    public static IReadOnlyList<string> Kinds { get; } =
    [
        "png-truncated", "jpeg-truncated", "png-bit-flips", "jpeg-bit-flips", "png-bad-ihdr-fields", "png-ihdr-length",
        "png-ztxt-bomb", "png-itxt-bomb", "png-iccp-bomb", "png-exif-garbage", "png-ztxt-bad-deflate", "png-idat-bad-deflate",
        "png-idat-bomb", "png-huge-size", "jpeg-huge-size", "png-animated-5000-frames", "gif-animated-3000-frames",
        "jpeg-unsupported-process", "jpeg-arithmetic-marker", "jpeg-2000-scans", "jpeg-bad-frame-header",
        "png-chunk-length-overflow", "png-unknown-critical-chunk", "png-palette-missing", "png-10000-tiny-chunks",
        "random-bytes", "png-signature-then-noise", "jpeg-signature-then-noise", "other-format", "empty",
    ];

    /// <summary>count uploads, the kinds in turn, each with its own random damage.</summary>
    public IEnumerable<MalformedUpload> Generate(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var kind = Kinds[i % Kinds.Count];
            yield return new MalformedUpload(kind, Make(kind));
        }
    }

    /// <summary>A file of the kind; the kinds that draw nothing are built once and the same array is returned again.</summary>
    public byte[] Make(string kind)
    {
        if (!FixedKinds.Contains(kind))
            return Draw(kind);
        if (!_fixed.TryGetValue(kind, out var file))
            _fixed[kind] = file = Draw(kind);
        return file;
    }

    private static readonly HashSet<string> FixedKinds =
    [
        "png-ztxt-bomb", "png-itxt-bomb", "png-iccp-bomb", "png-idat-bomb", "png-animated-5000-frames", "gif-animated-3000-frames",
        "jpeg-2000-scans", "png-10000-tiny-chunks",
    ];

    private readonly Dictionary<string, byte[]> _fixed = [];

    private byte[] Draw(string kind) => kind switch
    {
        "png-truncated" => Truncate(Pick(GoodPng, GoodColourPng)),
        "jpeg-truncated" => Truncate(GoodJpeg),
        "png-bit-flips" => FlipBits(Pick(GoodPng, GoodColourPng)),
        "jpeg-bit-flips" => FlipBits(GoodJpeg),
        "png-bad-ihdr-fields" => BadHeaderFields(),
        "png-ihdr-length" => Png(Chunk("IHDR", RandomBytes(Pick(0, 4, 12, 14, 40))), Idat(GoodPng), Chunk("IEND", [])),
        "png-ztxt-bomb" => WithChunks(GoodPng, Chunk("zTXt", [.. "Comment\0\0"u8, .. Bomb])),
        "png-itxt-bomb" => WithChunks(GoodPng, Chunk("iTXt", [.. "Comment\0\u0001\0\0\0"u8, .. Bomb])),
        "png-iccp-bomb" => WithChunks(GoodColourPng, Chunk("iCCP", [.. "icc\0\0"u8, .. Bomb])),
        "png-exif-garbage" => WithChunks(GoodPng, Chunk("eXIf", RandomBytes(_random.Next(8, 100_000)))),
        "png-ztxt-bad-deflate" => WithChunks(GoodPng, Chunk("zTXt", [.. "Comment\0\0"u8, .. RandomBytes(_random.Next(1, 5000))])),
        "png-idat-bad-deflate" => Png(Chunk("IHDR", Header(28, 28, 8, 0, 0)), Chunk("IDAT", RandomBytes(_random.Next(1, 3000))), Chunk("IEND", [])),
        "png-idat-bomb" => Png(Chunk("IHDR", Header(28, 28, 8, 0, 0)), Chunk("IDAT", Bomb), Chunk("IEND", [])),
        "png-huge-size" => Png(Chunk("IHDR", Header(Pick(100_000u, 65_535u, 0x7FFF_FFFFu, 0xFFFF_FFFFu), Pick(100_000u, 1u, 0x7FFF_FFFFu), 8, 6, 0)), Idat(GoodPng), Chunk("IEND", [])),
        "jpeg-huge-size" => JpegSize(Pick<ushort>(65_535, 30_000, 2_049), Pick<ushort>(65_535, 1, 40_000)),
        "png-animated-5000-frames" => AnimatedPng(5000),
        "gif-animated-3000-frames" => AnimatedGif(3000),
        "jpeg-unsupported-process" => JpegProcess(Pick<byte>(0xC3, 0xC5, 0xC6, 0xC7, 0xCB, 0xCD, 0xCE, 0xCF)),
        "jpeg-arithmetic-marker" => JpegProcess(Pick<byte>(0xC9, 0xCA)),
        "jpeg-2000-scans" => ManyScans(2000),
        "jpeg-bad-frame-header" => BadFrameHeader(),
        "png-chunk-length-overflow" => WithChunks(GoodPng, [0xFF, 0xFF, 0xFF, 0xF0, .. "tEXt"u8, 1, 2, 3, 4]),
        "png-unknown-critical-chunk" => WithChunks(GoodPng, Chunk("QQQQ", RandomBytes(16))),
        "png-palette-missing" => Png(Chunk("IHDR", Header(28, 28, 8, 3, 0)), Idat(GoodPng), Chunk("IEND", [])),
        "png-10000-tiny-chunks" => WithChunks(GoodPng, Concat(Enumerable.Repeat(Chunk("tEXt", "a\0b"u8.ToArray()), 10_000).ToArray())),
        "random-bytes" => RandomBytes(_random.Next(1, 20_000)),
        "png-signature-then-noise" => [.. GoodPng.AsSpan(0, 8), .. RandomBytes(_random.Next(0, 5000))],
        "jpeg-signature-then-noise" => [0xFF, 0xD8, 0xFF, .. RandomBytes(_random.Next(0, 5000))],
        "other-format" => OtherFormat(),
        "empty" => [],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no such kind"),
    };

    /// <summary>A PNG chunk: length, type, data and the CRC-32 of type and data (PNG specification, section 5.3).</summary>
    public static byte[] Chunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(chunk, 4);
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    /// <summary>IHDR's 13 bytes.</summary>
    public static byte[] Header(uint width, uint height, byte bitDepth, byte colourType, byte interlace, byte compression = 0, byte filter = 0)
    {
        var data = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(data, width);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(4), height);
        (data[8], data[9], data[10], data[11], data[12]) = (bitDepth, colourType, compression, filter, interlace);
        return data;
    }

    /// <summary>The signature and the given chunks.</summary>
    public static byte[] Png(params byte[][] chunks) => Concat([[137, 80, 78, 71, 13, 10, 26, 10], .. chunks]);

    private static byte[] Concat(IReadOnlyList<byte[]> parts)
    {
        var all = new byte[parts.Sum(p => p.Length)];
        var at = 0;
        foreach (var part in parts)
        {
            part.CopyTo(all, at);
            at += part.Length;
        }

        return all;
    }

    /// <summary>A good PNG with extra bytes (chunks) inserted right after its IHDR.</summary>
    public static byte[] WithChunks(byte[] png, byte[] inserted) => [.. png.AsSpan(0, 33), .. inserted, .. png.AsSpan(33)];

    /// <summary>The IDAT chunks of a PNG as they stand (with their CRCs).</summary>
    public static byte[] Idat(byte[] png)
    {
        var chunks = new List<byte>();
        for (var at = 8; at + 12 <= png.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at));
            if (png.AsSpan(at + 4, 4).SequenceEqual("IDAT"u8))
                chunks.AddRange(png.AsSpan(at, 12 + length));
            at += 12 + length;
        }

        return chunks.ToArray();
    }

    private static Image<Rgb24> Pattern(int width, int height)
    {
        var image = new Image<Rgb24>(width, height);
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                image[x, y] = new Rgb24((byte)(x * 255 / (width - 1)), (byte)(y * 255 / (height - 1)), (byte)((x * y) % 256));
        return image;
    }

    private static byte[] Encode(Image image, SixLabors.ImageSharp.Formats.IImageEncoder encoder)
    {
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }

    private T Pick<T>(params T[] choices) => choices[_random.Next(choices.Length)];

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    private byte[] Truncate(byte[] file) => file[.._random.Next(1, file.Length)];

    private byte[] FlipBits(byte[] file)
    {
        var copy = file.ToArray();
        for (var n = _random.Next(1, 9); n > 0; n--)
            copy[_random.Next(copy.Length)] ^= (byte)(1 << _random.Next(8));
        return copy;
    }

    // A valid CRC over fields the format does not allow (or does: some draws are good headers of the wrong data).
    private byte[] BadHeaderFields()
    {
        var header = Header(
            (uint)_random.Next(0, 64), (uint)_random.Next(0, 64),
            Pick<byte>(0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 32, 255), Pick<byte>(0, 1, 2, 3, 4, 5, 6, 7, 8, 255), Pick<byte>(0, 1, 2, 9, 255),
            Pick<byte>(0, 0, 0, 1, 8), Pick<byte>(0, 0, 0, 1, 4));
        return Png(Chunk("IHDR", header), Chunk("PLTE", RandomBytes(48)), Idat(GoodPng), Chunk("IEND", []));
    }

    private byte[] AnimatedPng(int frames)
    {
        var control = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(control, (uint)frames);
        var parts = new List<byte[]> { Chunk("IHDR", GoodPng.AsSpan(16, 13).ToArray()), Chunk("acTL", control) };
        var sequence = 0u;
        var pixels = Idat(GoodPng);
        for (var f = 0; f < frames; f++)
        {
            var frame = new byte[26];
            BinaryPrimitives.WriteUInt32BigEndian(frame, sequence++);
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), 28);
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), 28);
            parts.Add(Chunk("fcTL", frame));
            if (f == 0)
                parts.Add(pixels);
            else
                parts.Add(Chunk("fdAT", [(byte)(sequence >> 24), (byte)(sequence >> 16), (byte)(sequence >> 8), (byte)sequence++, 0x78, 0x9C, 3, 0, 0, 0, 0, 1]));
        }

        parts.Add(Chunk("IEND", []));
        return Png([.. parts]);
    }

    private static byte[] AnimatedGif(int frames)
    {
        var gif = new List<byte>();
        gif.AddRange("GIF89a"u8);
        gif.AddRange(new byte[] { 28, 0, 28, 0, 0, 0, 0 });
        for (var f = 0; f < frames; f++)
        {
            gif.AddRange(new byte[] { 0x21, 0xF9, 4, 0, 1, 0, 0, 0 });
            gif.AddRange(new byte[] { 0x2C, 0, 0, 0, 0, 28, 0, 28, 0, 0, 2, 2, 0x4C, 0x01, 0 });
        }

        gif.Add(0x3B);
        return gif.ToArray();
    }

    private int FrameHeaderAt(byte[] jpeg)
    {
        for (var i = 2; i + 1 < jpeg.Length; i++)
            if (jpeg[i] == 0xFF && jpeg[i + 1] is 0xC0 or 0xC1 or 0xC2)
                return i;
        throw new InvalidOperationException("the good JPEG has no SOF0 marker");
    }

    private byte[] JpegProcess(byte marker)
    {
        var copy = GoodJpeg.ToArray();
        copy[FrameHeaderAt(copy) + 1] = marker;
        return copy;
    }

    private byte[] JpegSize(ushort width, ushort height)
    {
        var copy = GoodJpeg.ToArray();
        var at = FrameHeaderAt(copy);
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(at + 5), height);
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(at + 7), width);
        return copy;
    }

    private byte[] BadFrameHeader()
    {
        var copy = GoodJpeg.ToArray();
        var at = FrameHeaderAt(copy);
        switch (_random.Next(4))
        {
            case 0: copy[at + 4] = Pick<byte>(0, 1, 7, 16, 255); break; // precision
            case 1: copy[at + 9] = Pick<byte>(0, 5, 9, 255); break; // component count
            case 2: copy[at + 11] = Pick<byte>(0x00, 0x50, 0x05, 0xFF); break; // sampling factors
            default: BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(at + 2), Pick<ushort>(0, 1, 5, 0xFFFF)); break; // segment length
        }

        return copy;
    }

    // The good JPEG's scan repeated: a small file with thousands of scans.
    private byte[] ManyScans(int scans)
    {
        var start = -1;
        for (var i = 2; i + 1 < GoodJpeg.Length; i++)
            if (GoodJpeg[i] == 0xFF && GoodJpeg[i + 1] == 0xDA)
            {
                start = i;
                break;
            }

        var end = GoodJpeg.Length - 2; // EOI
        var scan = GoodJpeg.AsSpan(start, end - start).ToArray();
        var file = new List<byte>(GoodJpeg.AsSpan(0, start).ToArray());
        for (var s = 0; s < scans; s++)
            file.AddRange(scan);
        file.AddRange(new byte[] { 0xFF, 0xD9 });
        return file.ToArray();
    }

    private byte[] OtherFormat() => _random.Next(4) switch
    {
        0 => [.. "BM"u8, .. RandomBytes(100)],
        1 => [.. "RIFF"u8, 0, 0, 0, 0, .. "WEBP"u8, .. RandomBytes(100)],
        2 => [0x49, 0x49, 0x2A, 0x00, .. RandomBytes(100)],
        _ => [.. "GIF87a"u8, .. RandomBytes(100)],
    };

    // A zlib stream of `mebibytes` MiB of zeros, built in milliseconds instead of deflating it all (seconds): one MiB
    // deflated and sync-flushed ends on a byte boundary with no final block, so its blocks can be repeated (every
    // back-reference lands on zeros), then a final empty fixed block and the Adler-32 of n zeros (a = 1, b = n mod 65521).
    private static byte[] Deflate(int mebibytes)
    {
        byte[] flushed;
        using (var first = new MemoryStream())
        {
            using var zlib = new ZLibStream(first, CompressionLevel.SmallestSize, leaveOpen: true);
            zlib.Write(new byte[1 << 20]);
            zlib.Flush();
            flushed = first.ToArray();
        }

        var segment = flushed.AsSpan(2); // after the 2-byte zlib header
        var stream = new byte[2 + mebibytes * segment.Length + 2 + 4];
        flushed.AsSpan(0, 2).CopyTo(stream);
        for (var m = 0; m < mebibytes; m++)
            segment.CopyTo(stream.AsSpan(2 + m * segment.Length));
        var end = 2 + mebibytes * segment.Length;
        (stream[end], stream[end + 1]) = (0x03, 0x00);
        BinaryPrimitives.WriteUInt32BigEndian(stream.AsSpan(end + 2), (uint)((((long)mebibytes << 20) % 65521) << 16 | 1));
        return stream;
    }

    private static uint Crc(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFF_FFFFu;
        foreach (var b in bytes)
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFF_FFFFu;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB8_8320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }

        return table;
    }
}
