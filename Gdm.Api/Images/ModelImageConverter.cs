using Gdm.Core;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Gdm.Api.Images;

/// <summary>
/// Brings a decoded upload to a model's shape: scale so the image covers the model's size keeping its aspect ratio,
/// crop the centre, convert to grey (ITU-R BT.601 luma) when the model has one channel, and map 0..255 linearly
/// onto the model's value range.
/// </summary>
public static class ModelImageConverter
{
    public static ModelInput Convert(DecodedUpload upload, ImageShape shape, double valueMin, double valueMax)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var image = upload.Image;
        int originalWidth = image.Width, originalHeight = image.Height;
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

        if (shape.Channels == 1)
            steps.Add("converted to grey (BT.601 luma)");
        steps.Add($"mapped 0..255 to {valueMin:0.##}..{valueMax:0.##}");

        var pixels = new float[shape.Size];
        var plane = shape.PlaneSize;
        var scaleToRange = (valueMax - valueMin) / 255.0;
        resized.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var p = row[x];
                    var at = y * shape.Width + x;
                    if (shape.Channels == 1)
                    {
                        var luma = 0.299 * p.R + 0.587 * p.G + 0.114 * p.B;
                        pixels[at] = (float)(valueMin + luma * scaleToRange);
                    }
                    else
                    {
                        pixels[at] = (float)(valueMin + p.R * scaleToRange);
                        pixels[plane + at] = (float)(valueMin + p.G * scaleToRange);
                        pixels[2 * plane + at] = (float)(valueMin + p.B * scaleToRange);
                    }
                }
            }
        });

        return new ModelInput(pixels, new ConversionReport(upload.Format, originalWidth, originalHeight, string.Join("; ", steps)));
    }
}
