using System.Security.Cryptography;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Engine;
using Gdm.Api.Images;
using Gdm.Api.Inference;
using Gdm.Core.Latents;

namespace Gdm.Api.Endpoints;

/// <summary>
/// How finished images are written for one model in one format: png (8-bit, the recipe in its tEXt chunk),
/// coefficients, or pixels clamped to the value range; each with its recipe.
/// </summary>
public sealed record ImageOutput(LoadedModel Model, OutputFormat Format)
{
    public ImagesResponse Response(IReadOnlyList<GeneratedImage> images, ulong? seed, IReadOnlyList<UploadReport>? uploads)
    {
        ArgumentNullException.ThrowIfNull(images);
        return new ImagesResponse(Model.Name, seed, images.Select((image, i) => Result(i, image)).ToArray(), uploads);
    }

    public ImageResult Result(int index, GeneratedImage image)
    {
        var data = Data(image);
        return new ImageResult(index, RecipeJson.ToDocument(image.Recipe), data.Png, data.Coefficients, data.Pixels);
    }

    /// <summary>The image in the format, without its recipe.</summary>
    public ImageData Data(GeneratedImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var range = Model.Manifest.ValueRange;
        return Format switch
        {
            OutputFormat.Png => new ImageData(Convert.ToBase64String(Png(image)), null, null),
            OutputFormat.Coefficients => new ImageData(null, RecipeJson.EncodeFloats(image.Coefficients), null),
            OutputFormat.Pixels => new ImageData(null, null, RecipeJson.EncodeFloats(Pixels(image.Coefficients).Select(p => (float)Math.Clamp(p, range[0], range[1])).ToArray())),
            _ => throw new InvalidOperationException($"unknown format {Format}"),
        };
    }

    /// <summary>The PNG of one finished image, its recipe in the tEXt chunk.</summary>
    public byte[] Png(GeneratedImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return PngWriter.Encode(Levels(image.Coefficients), Model.Shape, RecipeJson.Serialize(image.Recipe));
    }

    /// <summary>8-bit levels (C x H x W) of coefficients.</summary>
    public byte[] Levels(float[] coefficients)
    {
        var range = Model.Manifest.ValueRange;
        return PixelQuantizer.ToBytes(Pixels(coefficients), range[0], range[1]);
    }

    /// <summary>Pixels (C x H x W) of coefficients, unclamped.</summary>
    public float[] Pixels(float[] coefficients)
    {
        ArgumentNullException.ThrowIfNull(coefficients);
        var pixels = new float[coefficients.Length];
        Model.Process.Transform.Inverse(coefficients, pixels);
        return pixels;
    }

    /// <summary>A seed below 2^32, so well inside [0, 2^53 - 1] even after adding a request's image count.</summary>
    public static ulong DrawSeed() => BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(sizeof(uint)));
}
