using Gdm.Core;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Gdm.Training.Data;

/// <summary>Every PNG and JPEG in a folder (not recursive, sorted by name), resized to cover the shape and centre-cropped.</summary>
public static class ImageFolder
{
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg"];

    public static ImageDataSet Read(string directory, ImageShape shape)
    {
        if (!Directory.Exists(directory))
            throw new DataException(directory, "folder not found");
        var files = Directory.EnumerateFiles(directory)
            .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (files.Length == 0)
            throw new DataException(directory, "holds no .png, .jpg or .jpeg images");

        var pixels = new byte[files.Length * shape.Size];
        for (var n = 0; n < files.Length; n++)
        {
            Image<Rgb24> image;
            try
            {
                image = Image.Load<Rgb24>(files[n]);
            }
            catch (Exception e) when (e is ImageFormatException or UnknownImageFormatException or InvalidImageContentException)
            {
                throw new DataException(files[n], $"not a readable image ({e.Message})");
            }

            using (image)
            {
                image.Mutate(c => c.Resize(new ResizeOptions { Size = new Size(shape.Width, shape.Height), Mode = ResizeMode.Crop }));
                var target = pixels.AsSpan(n * shape.Size, shape.Size);
                for (var y = 0; y < shape.Height; y++)
                    for (var x = 0; x < shape.Width; x++)
                    {
                        var p = image[x, y];
                        if (shape.Channels == 1)
                        {
                            // ITU-R BT.601 luma, as ImageSharp's L8 conversion uses.
                            target[y * shape.Width + x] = (byte)Math.Clamp(Math.Round(0.299 * p.R + 0.587 * p.G + 0.114 * p.B), 0, 255);
                        }
                        else
                        {
                            target[(0 * shape.Height + y) * shape.Width + x] = p.R;
                            target[(1 * shape.Height + y) * shape.Width + x] = p.G;
                            target[(2 * shape.Height + y) * shape.Width + x] = p.B;
                        }
                    }
            }
        }

        return new ImageDataSet($"folder {Path.GetFullPath(directory)} ({files.Length} images)", shape, pixels);
    }
}
