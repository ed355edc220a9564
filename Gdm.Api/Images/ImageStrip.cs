using Gdm.Core;

namespace Gdm.Api.Images;

/// <summary>Images of one shape side by side, left to right, with a white gap between neighbours (8-bit levels, C x H x W planes).</summary>
public static class ImageStrip
{
    public const int GapPixels = 2;

    public static (byte[] Levels, ImageShape Shape) Compose(IReadOnlyList<byte[]> images, ImageShape shape)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0)
            throw new ArgumentException("a strip needs at least one image");
        var width = images.Count * shape.Width + (images.Count - 1) * GapPixels;
        var strip = new ImageShape(shape.Channels, shape.Height, width);
        var levels = new byte[strip.Size];
        Array.Fill(levels, byte.MaxValue);
        for (var n = 0; n < images.Count; n++)
        {
            if (images[n].Length != shape.Size)
                throw new ArgumentException($"image {n} has {images[n].Length} levels, a {shape} image has {shape.Size}");
            var left = n * (shape.Width + GapPixels);
            for (var c = 0; c < shape.Channels; c++)
                for (var y = 0; y < shape.Height; y++)
                    images[n].AsSpan((c * shape.Height + y) * shape.Width, shape.Width)
                        .CopyTo(levels.AsSpan((c * strip.Height + y) * strip.Width + left, shape.Width));
        }

        return (levels, strip);
    }
}
