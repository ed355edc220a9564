using System.Buffers.Binary;
using System.IO.Compression;
using Gdm.Core;

namespace Gdm.Training.Data;

/// <summary>
/// IDX image files (MNIST, Fashion-MNIST): big-endian magic 0x00000803 (unsigned bytes, 3 dimensions), then count,
/// rows, columns and the pixels. Gzipped files (as the Debian package installs them) are read transparently.
/// </summary>
public static class IdxImages
{
    private const int ImageMagic = 0x00000803;

    public static ImageDataSet Read(string path, string name)
    {
        if (!File.Exists(path))
            throw new DataException(path, "file not found");
        byte[] content;
        try
        {
            content = ReadMaybeGzipped(path);
        }
        catch (InvalidDataException e)
        {
            throw new DataException(path, $"gzip data is corrupt ({e.Message})");
        }

        if (content.Length < 16)
            throw new DataException(path, $"too short for an IDX header ({content.Length} bytes, need 16)");
        var magic = BinaryPrimitives.ReadInt32BigEndian(content);
        if (magic != ImageMagic)
            throw new DataException(path, $"not an IDX image file: magic 0x{magic:x8}, expected 0x{ImageMagic:x8} (unsigned bytes, 3 dimensions)");
        int count = BinaryPrimitives.ReadInt32BigEndian(content.AsSpan(4)),
            rows = BinaryPrimitives.ReadInt32BigEndian(content.AsSpan(8)),
            columns = BinaryPrimitives.ReadInt32BigEndian(content.AsSpan(12));
        if (count < 1 || rows < 1 || columns < 1 || rows > 4096 || columns > 4096)
            throw new DataException(path, $"implausible IDX dimensions {count} x {rows} x {columns}");
        var expected = 16L + (long)count * rows * columns;
        if (content.Length != expected)
            throw new DataException(path, $"holds {content.Length} bytes, but {count} images of {rows}x{columns} need {expected}");
        return new ImageDataSet($"{name} ({count} images)", new ImageShape(1, rows, columns), content.AsSpan(16).ToArray());
    }

    /// <summary>The file's bytes, gunzipped when it starts with the gzip magic (labels use this too).</summary>
    internal static byte[] ReadMaybeGzipped(string path)
    {
        var raw = File.ReadAllBytes(path);
        if (raw.Length < 2 || raw[0] != 0x1f || raw[1] != 0x8b)
            return raw;
        using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }
}
