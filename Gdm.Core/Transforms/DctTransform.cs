using System.Buffers;
using System.Numerics.Tensors;

namespace Gdm.Core.Transforms;

/// <summary>
/// Orthonormal 2-D DCT-II per channel: Y = D_H X D_W^T with D_n[k, i] = alpha_k cos(pi (2i + 1) k / 2n),
/// alpha_0 = sqrt(1/n), alpha_k = sqrt(2/n). Coefficient (u, v) of channel c sits where pixel (row u, column v)
/// sits, so u is the vertical and v the horizontal frequency.
/// </summary>
public sealed class DctTransform : IOrthogonalTransform
{
    // Row-major n x n matrices; the inverse uses the transposes, stored so that every product is a dot of rows.
    private readonly float[] _heightBasis, _heightBasisTransposed, _widthBasis, _widthBasisTransposed;

    public DctTransform(ImageShape shape)
    {
        Shape = shape;
        var dh = BasisMatrix(shape.Height);
        var dw = BasisMatrix(shape.Width);
        _heightBasis = ToFloat(dh, shape.Height, transpose: false);
        _heightBasisTransposed = ToFloat(dh, shape.Height, transpose: true);
        _widthBasis = ToFloat(dw, shape.Width, transpose: false);
        _widthBasisTransposed = ToFloat(dw, shape.Width, transpose: true);
    }

    public TransformKind Kind => TransformKind.Dct;

    public ImageShape Shape { get; }

    /// <summary>The n x n orthonormal DCT-II matrix, row-major; the trainer builds its tensors from this.</summary>
    public static double[] BasisMatrix(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var d = new double[n * n];
        for (var k = 0; k < n; k++)
        {
            var alpha = Math.Sqrt((k == 0 ? 1.0 : 2.0) / n);
            for (var i = 0; i < n; i++)
                d[k * n + i] = alpha * Math.Cos(Math.PI * (2 * i + 1) * k / (2.0 * n));
        }

        return d;
    }

    public void Forward(ReadOnlySpan<float> pixels, Span<float> coefficients) =>
        Apply(pixels, coefficients, _heightBasis, _widthBasis);

    public void Inverse(ReadOnlySpan<float> coefficients, Span<float> pixels) =>
        Apply(coefficients, pixels, _heightBasisTransposed, _widthBasisTransposed);

    // output = A input B^T per plane, for (A, B) = (D_H, D_W) forward and (D_H^T, D_W^T) inverse.
    private void Apply(ReadOnlySpan<float> input, Span<float> output, float[] a, float[] b)
    {
        var planes = OrthogonalTransform.BatchOf(Shape, input.Length, "input") * Shape.Channels;
        if (output.Length != input.Length)
            throw new ArgumentException($"output holds {output.Length} values, input {input.Length}");
        int h = Shape.Height, w = Shape.Width, plane = h * w;
        // Scratch from the shared pool (every value is written before it is read), so a sampling loop allocates nothing.
        var rowsDoneArray = ArrayPool<float>.Shared.Rent(plane);
        var columnMajorArray = ArrayPool<float>.Shared.Rent(plane);
        var rowsDone = rowsDoneArray.AsSpan(0, plane);       // (input B^T), row-major h x w
        var columnMajor = columnMajorArray.AsSpan(0, plane); // its transpose, so columns are contiguous
        for (var p = 0; p < planes; p++)
        {
            var x = input.Slice(p * plane, plane);
            var y = output.Slice(p * plane, plane);
            for (var r = 0; r < h; r++)
            {
                var row = x.Slice(r * w, w);
                for (var k = 0; k < w; k++)
                    columnMajor[k * h + r] = TensorPrimitives.Dot(new ReadOnlySpan<float>(b, k * w, w), row);
            }

            for (var c = 0; c < w; c++)
            {
                var column = columnMajor.Slice(c * h, h);
                for (var k = 0; k < h; k++)
                    rowsDone[k * w + c] = TensorPrimitives.Dot(new ReadOnlySpan<float>(a, k * h, h), column);
            }

            rowsDone.CopyTo(y);
        }

        ArrayPool<float>.Shared.Return(rowsDoneArray);
        ArrayPool<float>.Shared.Return(columnMajorArray);
    }

    private static float[] ToFloat(double[] matrix, int n, bool transpose)
    {
        var result = new float[n * n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                result[i * n + j] = (float)(transpose ? matrix[j * n + i] : matrix[i * n + j]);
        return result;
    }
}
