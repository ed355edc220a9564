using System.Buffers.Binary;
using System.IO.Compression;
using Gdm.Training.Data;

namespace Gdm.Training.Evaluation;

/// <summary>An IDX image file with its IDX label file (magic 0x00000801): Fashion-MNIST's train or test split.</summary>
public sealed record LabelledImages(ImageDataSet Images, byte[] Labels)
{
    private const int LabelMagic = 0x00000801;

    public static LabelledImages FashionMnist(string directory, bool test)
    {
        var prefix = test ? "t10k" : "train";
        var images = IdxImages.Read(Find(directory, $"{prefix}-images-idx3-ubyte"), test ? "fashion-mnist test" : "fashion-mnist");
        var labels = ReadLabels(Find(directory, $"{prefix}-labels-idx1-ubyte"));
        if (labels.Length != images.Count)
            throw new DataException(directory, $"{images.Count} {prefix} images but {labels.Length} labels");
        return new LabelledImages(images, labels);
    }

    private static string Find(string directory, string stem)
    {
        foreach (var name in new[] { stem + ".gz", stem })
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path))
                return path;
        }

        throw new DataException(Path.Combine(directory, stem + ".gz"), "file not found (install the Debian package dataset-fashion-mnist)");
    }

    private static byte[] ReadLabels(string path)
    {
        var raw = File.ReadAllBytes(path);
        if (raw.Length >= 2 && raw[0] == 0x1f && raw[1] == 0x8b)
        {
            using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
            using var output = new MemoryStream();
            gzip.CopyTo(output);
            raw = output.ToArray();
        }

        if (raw.Length < 8 || BinaryPrimitives.ReadInt32BigEndian(raw) != LabelMagic)
            throw new DataException(path, "not an IDX label file (magic 0x00000801)");
        var count = BinaryPrimitives.ReadInt32BigEndian(raw.AsSpan(4));
        if (raw.Length != 8 + count)
            throw new DataException(path, $"holds {raw.Length} bytes, but {count} labels need {8 + count}");
        return raw.AsSpan(8).ToArray();
    }
}
