using System.Globalization;
using Gdm.Core;

namespace Gdm.Training.Data;

/// <summary>
/// The --data argument: `fashion-mnist[:DIR]`, `idx:IMAGES_FILE`, `folder:DIR` or `synthetic[:COUNT]`.
/// IDX sets carry their own shape; folders and synthetic sets take the requested one.
/// </summary>
public static class DataSpec
{
    public const string FashionMnistDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>10,000 images: a few epochs' worth for the small nets the synthetic set is meant for.</summary>
    public const int DefaultSyntheticCount = 10_000;

    public static ImageDataSet Load(string spec, ImageShape requestedShape, int seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var kind = (colon < 0 ? spec : spec[..colon]).Trim().ToLowerInvariant();
        var argument = colon < 0 ? null : spec[(colon + 1)..];
        return kind switch
        {
            "fashion-mnist" => IdxImages.Read(FashionMnistTrainImages(argument ?? FashionMnistDirectory), "fashion-mnist"),
            "mnist" when argument is not null => IdxImages.Read(FashionMnistTrainImages(argument), "mnist"),
            "idx" when !string.IsNullOrWhiteSpace(argument) => IdxImages.Read(argument, $"idx {Path.GetFileName(argument)}"),
            "folder" when !string.IsNullOrWhiteSpace(argument) => ImageFolder.Read(argument, requestedShape),
            "synthetic" => SyntheticShapes.Generate(ParseCount(argument, spec), requestedShape, seed),
            _ => throw new FormatException($"--data '{spec}' is not understood: use fashion-mnist[:DIR], idx:IMAGES_FILE, folder:DIR or synthetic[:COUNT]"),
        };
    }

    /// <summary>The training images of an MNIST-layout folder, gzipped (Debian's dataset-fashion-mnist) or not.</summary>
    private static string FashionMnistTrainImages(string directory)
    {
        if (!Directory.Exists(directory))
            throw new DataException(directory, "folder not found (install the Debian package dataset-fashion-mnist, or give fashion-mnist:DIR)");
        foreach (var name in new[] { "train-images-idx3-ubyte.gz", "train-images-idx3-ubyte", "train-images.idx3-ubyte" })
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path))
                return path;
        }

        throw new DataException(directory, "holds no train-images-idx3-ubyte[.gz]");
    }

    private static int ParseCount(string? text, string spec)
    {
        if (text is null)
            return DefaultSyntheticCount;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count > 0
            ? count
            : throw new FormatException($"--data '{spec}': the image count must be a positive whole number, got '{text}'");
    }
}
