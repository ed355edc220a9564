using Gdm.Core;

namespace Gdm.Training.Data;

/// <summary>
/// Images as 8-bit values, image after image, each channel-major (C, H, W) like Core's coefficient index.
/// Factors, when the source knows them (synthetic shapes), hold one row per image.
/// </summary>
public sealed class ImageDataSet
{
    public ImageDataSet(string name, ImageShape shape, byte[] pixels, IReadOnlyList<ShapeFactors>? factors = null)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length == 0 || pixels.Length % shape.Size != 0)
            throw new ArgumentException($"{pixels.Length} bytes are not a whole number of {shape} images");
        Name = name;
        Shape = shape;
        Pixels = pixels;
        Factors = factors;
    }

    /// <summary>What the manifest records as the data set, e.g. "fashion-mnist (60000 images)".</summary>
    public string Name { get; }

    public ImageShape Shape { get; }

    public byte[] Pixels { get; }

    public int Count => Pixels.Length / Shape.Size;

    public IReadOnlyList<ShapeFactors>? Factors { get; }

    /// <summary>Every image scaled to [-1, 1], in order, in one reused array (read each before asking for the next).</summary>
    public IEnumerable<float[]> ScaledImages()
    {
        var pixels = new float[Shape.Size];
        for (var n = 0; n < Count; n++)
        {
            CopyScaled(n, pixels);
            yield return pixels;
        }
    }

    /// <summary>Image i scaled to [-1, 1], written into destination (Shape.Size values).</summary>
    public void CopyScaled(int index, Span<float> destination)
    {
        var source = Pixels.AsSpan(index * Shape.Size, Shape.Size);
        for (var i = 0; i < source.Length; i++)
            destination[i] = source[i] / 127.5f - 1f;
    }
}
