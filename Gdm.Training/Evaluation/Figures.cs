using Gdm.Core;
using Gdm.Training.Imaging;

namespace Gdm.Training.Evaluation;

/// <summary>Grids of images for docs/: nearest-neighbour enlarged so 28x28 pictures are readable on a page.</summary>
public static class Figures
{
    public static void Save(string path, IReadOnlyList<float[]> images, ImageShape shape, int columns, int scale = 3)
    {
        var large = new ImageShape(shape.Channels, shape.Height * scale, shape.Width * scale);
        var pixels = new float[images.Count * large.Size];
        for (var n = 0; n < images.Count; n++)
            for (var c = 0; c < shape.Channels; c++)
                for (var y = 0; y < large.Height; y++)
                    for (var x = 0; x < large.Width; x++)
                        pixels[n * large.Size + (c * large.Height + y) * large.Width + x] =
                            images[n][(c * shape.Height + y / scale) * shape.Width + x / scale];
        ImageGrid.Save(path, pixels, large, columns);
    }

    public static float[][] Split(float[] pixels, ImageShape shape) =>
        Enumerable.Range(0, pixels.Length / shape.Size).Select(i => pixels.AsSpan(i * shape.Size, shape.Size).ToArray()).ToArray();
}
