using System.Buffers.Binary;
using Gdm.Training.Data;

namespace Gdm.Training.Evaluation;

/// <summary>An IDX image file with its IDX label file (magic 0x00000801): Fashion-MNIST's train or test split.</summary>
public sealed record LabelledImages(ImageDataSet Images, byte[] Labels)
{
    private const int LabelMagic = 0x00000801;

    private float[]? _pixels;

    /// <summary>All images scaled to [-1, 1], image after image; computed once, on first use.</summary>
    public float[] Pixels
    {
        get
        {
            if (_pixels is not null)
                return _pixels;
            var size = Images.Shape.Size;
            var pixels = new float[Images.Count * size];
            for (var i = 0; i < Images.Count; i++)
                Images.CopyScaled(i, pixels.AsSpan(i * size, size));
            return _pixels = pixels;
        }
    }

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
        byte[] raw;
        try
        {
            raw = IdxImages.ReadMaybeGzipped(path);
        }
        catch (InvalidDataException e)
        {
            throw new DataException(path, $"gzip data is corrupt ({e.Message})");
        }

        if (raw.Length < 8 || BinaryPrimitives.ReadInt32BigEndian(raw) != LabelMagic)
            throw new DataException(path, "not an IDX label file (magic 0x00000801)");
        var count = BinaryPrimitives.ReadInt32BigEndian(raw.AsSpan(4));
        if (raw.Length != 8 + count)
            throw new DataException(path, $"holds {raw.Length} bytes, but {count} labels need {8 + count}");
        return raw.AsSpan(8).ToArray();
    }
}
