using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics.Tensors;
using Gdm.Core;
using Gdm.Core.Transforms;

namespace Gdm.SamplerBench;

/// <summary>
/// N(mu, Sigma) fitted to the orthonormal-DCT coefficients of Fashion-MNIST training images (pixels scaled to
/// [-1, 1], as the models are trained): the data law a perfect denoiser would be exact for.
/// </summary>
public sealed record GaussianTarget(ImageShape Shape, double[] Mean, double[,] Covariance, int Images)
{
    /// <summary>
    /// Fits the first `images` images of an IDX image file (gzipped, as the Debian package installs it); without
    /// fullCovariance only the diagonal (each coefficient's variance) is filled.
    /// </summary>
    public static GaussianTarget FitFashionMnist(string path, int images, bool fullCovariance)
    {
        var (shape, pixels) = ReadIdx(path, images);
        var d = shape.Size;
        var dct = OrthogonalTransform.Create(TransformKind.Dct, shape);
        var mean = new double[d];
        var coefficients = new float[images][];
        for (var n = 0; n < images; n++)
        {
            coefficients[n] = new float[d];
            dct.Forward(pixels.AsSpan(n * d, d), coefficients[n]);
            for (var i = 0; i < d; i++)
                mean[i] += coefficients[n][i] / (double)images;
        }

        // One centred series per coefficient, so each covariance entry is one vectorised dot product.
        var series = new double[d][];
        for (var i = 0; i < d; i++)
        {
            series[i] = new double[images];
            for (var n = 0; n < images; n++)
                series[i][n] = coefficients[n][i] - mean[i];
        }

        var covariance = new double[d, d];
        for (var i = 0; i < d; i++)
            for (var j = i; j < (fullCovariance ? d : i + 1); j++)
                covariance[i, j] = covariance[j, i] = TensorPrimitives.Dot<double>(series[i], series[j]) / images;

        return new GaussianTarget(shape, mean, covariance, images);
    }

    // IDX: big-endian magic 0x00000803, count, rows, columns, then unsigned bytes (LeCun et al.'s MNIST format).
    private static (ImageShape Shape, float[] Pixels) ReadIdx(string path, int images)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        var header = new byte[16];
        gzip.ReadExactly(header);
        if (BinaryPrimitives.ReadInt32BigEndian(header) != 0x00000803)
            throw new InvalidDataException($"{path} is not an IDX image file");
        int count = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4)),
            rows = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(8)),
            columns = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(12));
        if (images > count)
            throw new ArgumentException($"{path} holds {count} images, {images} asked for");
        var bytes = new byte[images * rows * columns];
        gzip.ReadExactly(bytes);
        return (new ImageShape(1, rows, columns), bytes.Select(b => b / 127.5f - 1f).ToArray());
    }
}
