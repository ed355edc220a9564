using Gdm.Core;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Gdm.Training.Imaging;

/// <summary>Tiles images (pixels in [-1, 1], channel-major) into one PNG with a 2-pixel gap.</summary>
public static class ImageGrid
{
    public const int Gap = 2;

    public static (int Width, int Height) Size(ImageShape shape, int count, int columns)
    {
        var rows = (count + columns - 1) / columns;
        return (columns * shape.Width + (columns + 1) * Gap, rows * shape.Height + (rows + 1) * Gap);
    }

    public static int DefaultColumns(int count) => Math.Max(1, (int)Math.Ceiling(Math.Sqrt(count)));

    public static void Save(string path, ReadOnlySpan<float> pixels, ImageShape shape, int columns)
    {
        var count = pixels.Length / shape.Size;
        var (width, height) = Size(shape, count, columns);
        using var image = new Image<Rgb24>(width, height, new Rgb24(255, 255, 255));
        for (var n = 0; n < count; n++)
        {
            var picture = pixels.Slice(n * shape.Size, shape.Size);
            int left = Gap + n % columns * (shape.Width + Gap), top = Gap + n / columns * (shape.Height + Gap);
            for (var y = 0; y < shape.Height; y++)
                for (var x = 0; x < shape.Width; x++)
                {
                    var first = ToByte(picture[y * shape.Width + x]);
                    image[left + x, top + y] = shape.Channels == 1
                        ? new Rgb24(first, first, first)
                        : new Rgb24(first, ToByte(picture[(shape.Height + y) * shape.Width + x]), ToByte(picture[(2 * shape.Height + y) * shape.Width + x]));
                }
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
            Directory.CreateDirectory(folder);
        image.SaveAsPng(path);
    }

    private static byte ToByte(float value) => (byte)Math.Clamp(MathF.Round((value + 1f) * 127.5f), 0f, 255f);
}
