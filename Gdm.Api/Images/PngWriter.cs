using Gdm.Core;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Gdm.Api.Images;

/// <summary>
/// Writes 8-bit levels (C x H x W planes) as a PNG with the recipe JSON in an uncompressed tEXt chunk under the keyword
/// RecipeKeyword, so an image file alone says how to make it again.
/// </summary>
public static class PngWriter
{
    public const string RecipeKeyword = "gdm-recipe";

    private static readonly PngEncoder Encoder = new()
    {
        BitDepth = PngBitDepth.Bit8,
        CompressionLevel = PngCompressionLevel.DefaultCompression,
        // Keep the recipe readable as tEXt: ImageSharp writes longer texts as zTXt unless told otherwise.
        TextCompressionThreshold = int.MaxValue,
    };

    public static byte[] Encode(ReadOnlySpan<byte> levels, ImageShape shape, string recipeJson) =>
        Encode(levels, shape, RecipeKeyword, recipeJson);

    /// <summary>The same with another keyword, for images that are not one recipe's (a traversal strip).</summary>
    public static byte[] Encode(ReadOnlySpan<byte> levels, ImageShape shape, string keyword, string text)
    {
        if (levels.Length != shape.Size)
            throw new ArgumentException($"a {shape} image has {shape.Size} levels, got {levels.Length}");
        using var image = shape.Channels == 1 ? Grey(levels, shape) : Colour(levels, shape);
        image.Metadata.GetPngMetadata().TextData.Add(new PngTextData(keyword, text, string.Empty, string.Empty));
        using var stream = new MemoryStream();
        image.SaveAsPng(stream, Encoder);
        return stream.ToArray();
    }

    private static Image Grey(ReadOnlySpan<byte> levels, ImageShape shape)
    {
        var image = new Image<L8>(shape.Width, shape.Height);
        var copy = levels.ToArray();
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                    row[x] = new L8(copy[y * shape.Width + x]);
            }
        });
        return image;
    }

    private static Image Colour(ReadOnlySpan<byte> levels, ImageShape shape)
    {
        var plane = shape.PlaneSize;
        var image = new Image<Rgb24>(shape.Width, shape.Height);
        var copy = levels.ToArray();
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var i = y * shape.Width + x;
                    row[x] = new Rgb24(copy[i], copy[plane + i], copy[2 * plane + i]);
                }
            }
        });
        return image;
    }
}
