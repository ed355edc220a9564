using Gdm.Core;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Gdm.Api.Images;

/// <summary>
/// Brings a decoded upload to a model's shape and domain: scale so the image covers the model's size keeping its
/// aspect ratio, crop the centre, composite any transparency on the model's background (level 0, the low end of the
/// value range: black), invert the levels when the background calls for it (BackgroundMode), convert to grey (ITU-R
/// BT.601 luma) when the model has one channel and the image is not grey already, and map 0..255 linearly onto the
/// model's value range. The report names each step taken and nothing else.
/// </summary>
public static class ModelImageConverter
{
    /// <summary>A border whose mean level is above this (of 255) is light: the image is on a light background.</summary>
    public const double LightBorderLevel = 127.5;

    public static ModelInput Convert(DecodedUpload upload, ImageShape shape, double valueMin, double valueMax, BackgroundMode background = BackgroundMode.Auto)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var image = upload.Image;
        int originalWidth = image.Width, originalHeight = image.Height;
        var (grey, transparent) = Inspect(image);
        var steps = new List<string>();
        using var resized = image.Clone();
        if (originalWidth != shape.Width || originalHeight != shape.Height)
        {
            resized.Mutate(c => c.Resize(new ResizeOptions
            {
                Size = new Size(shape.Width, shape.Height),
                Mode = ResizeMode.Crop,
                Position = AnchorPositionMode.Center,
                Sampler = KnownResamplers.Bicubic,
            }));
            var scale = Math.Max((double)shape.Width / originalWidth, (double)shape.Height / originalHeight);
            steps.Add($"scaled by {scale:0.###} keeping the aspect ratio");
            var scaledWidth = (int)Math.Round(originalWidth * scale);
            var scaledHeight = (int)Math.Round(originalHeight * scale);
            if (scaledWidth != shape.Width || scaledHeight != shape.Height)
                steps.Add($"cropped the centre {shape.Width}x{shape.Height} of {scaledWidth}x{scaledHeight}");
        }

        if (transparent)
            steps.Add($"composited its transparency on the model's background (black, {valueMin:0.##})");
        var (levels, alpha) = Composited(resized, shape);
        var border = BorderLevel(levels, shape);
        var invert = background == BackgroundMode.Invert || (background == BackgroundMode.Auto && border > LightBorderLevel);
        steps.Add((background, invert) switch
        {
            (BackgroundMode.Auto, true) => $"inverted: the border is light (mean level {border:0} of 255; background auto)",
            (BackgroundMode.Auto, false) => $"not inverted: the border is dark (mean level {border:0} of 255; background auto)",
            (BackgroundMode.Invert, _) => "inverted (background invert)",
            _ => "not inverted (background keep)",
        });
        if (invert)
            foreach (var channel in levels)
                for (var at = 0; at < channel.Length; at++)
                    channel[at] = 255 * alpha[at] - channel[at]; // (255 - v) alpha: a transparent pixel stays the background
        if (shape.Channels == 1 && !grey)
            steps.Add("converted to grey (BT.601 luma)");
        steps.Add($"mapped 0..255 to {valueMin:0.##}..{valueMax:0.##}");

        var scaleToRange = (valueMax - valueMin) / 255.0;
        var plane = shape.PlaneSize;
        var pixels = new float[shape.Size];
        for (var at = 0; at < plane; at++)
        {
            var (r, g, b) = (levels[0][at], levels[1][at], levels[2][at]);
            if (shape.Channels == 1)
            {
                pixels[at] = (float)(valueMin + (0.299 * r + 0.587 * g + 0.114 * b) * scaleToRange);
            }
            else
            {
                pixels[at] = (float)(valueMin + r * scaleToRange);
                pixels[plane + at] = (float)(valueMin + g * scaleToRange);
                pixels[2 * plane + at] = (float)(valueMin + b * scaleToRange);
            }
        }

        return new ModelInput(pixels, new ConversionReport(upload.Format, originalWidth, originalHeight, invert, string.Join("; ", steps)));
    }

    // Whether every pixel is grey (R = G = B) and whether any is not fully opaque, in the image as uploaded.
    private static (bool Grey, bool Transparent) Inspect(Image<Rgba32> image)
    {
        bool grey = true, transparent = false;
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height && (grey || !transparent); y++)
                foreach (var p in rows.GetRowSpan(y))
                {
                    grey &= p.R == p.G && p.G == p.B;
                    transparent |= p.A < 255;
                }
        });
        return (grey, transparent);
    }

    // R, G and B planes of 0..255 levels with each pixel composited on black (v alpha), and each pixel's alpha in 0..1.
    private static (double[][] Levels, double[] Alpha) Composited(Image<Rgba32> image, ImageShape shape)
    {
        var levels = new[] { new double[shape.PlaneSize], new double[shape.PlaneSize], new double[shape.PlaneSize] };
        var alpha = new double[shape.PlaneSize];
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var at = y * shape.Width + x;
                    alpha[at] = row[x].A / 255.0;
                    levels[0][at] = row[x].R * alpha[at];
                    levels[1][at] = row[x].G * alpha[at];
                    levels[2][at] = row[x].B * alpha[at];
                }
            }
        });
        return (levels, alpha);
    }

    // Mean BT.601 luma of the outermost ring of pixels, as the model would see them.
    private static double BorderLevel(double[][] levels, ImageShape shape)
    {
        double sum = 0;
        var count = 0;
        for (var y = 0; y < shape.Height; y++)
            for (var x = 0; x < shape.Width; x++)
            {
                if (y != 0 && y != shape.Height - 1 && x != 0 && x != shape.Width - 1)
                    continue;
                var at = y * shape.Width + x;
                sum += 0.299 * levels[0][at] + 0.587 * levels[1][at] + 0.114 * levels[2][at];
                count++;
            }

        return sum / count;
    }
}
