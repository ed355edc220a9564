using System.Numerics.Tensors;

namespace Gdm.SamplerBench;

/// <summary>The few dense double-precision operations the exact law needs (row-major double[,]).</summary>
internal static class Dense
{
    public static double[,] Multiply(double[,] a, double[,] b)
    {
        int n = a.GetLength(0), inner = a.GetLength(1), m = b.GetLength(1);
        if (b.GetLength(0) != inner)
            throw new ArgumentException($"cannot multiply {n}x{inner} by {b.GetLength(0)}x{m}");
        var rows = Rows(a);
        var columns = Rows(Transpose(b));
        var result = new double[n, m];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < m; j++)
                result[i, j] = TensorPrimitives.Dot<double>(rows[i], columns[j]);
        return result;
    }

    private static double[][] Rows(double[,] a)
    {
        int n = a.GetLength(0), m = a.GetLength(1);
        var rows = new double[n][];
        for (var i = 0; i < n; i++)
        {
            rows[i] = new double[m];
            for (var j = 0; j < m; j++)
                rows[i][j] = a[i, j];
        }

        return rows;
    }

    public static double[,] Transpose(double[,] a)
    {
        int n = a.GetLength(0), m = a.GetLength(1);
        var t = new double[m, n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < m; j++)
                t[j, i] = a[i, j];
        return t;
    }

    public static double[] Multiply(double[,] a, double[] x)
    {
        int n = a.GetLength(0), m = a.GetLength(1);
        var y = new double[n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < m; j++)
                y[i] += a[i, j] * x[j];
        return y;
    }

    public static double[,] Block(double[,] a, IReadOnlyList<int> rows, IReadOnlyList<int> columns)
    {
        var block = new double[rows.Count, columns.Count];
        for (var i = 0; i < rows.Count; i++)
            for (var j = 0; j < columns.Count; j++)
                block[i, j] = a[rows[i], columns[j]];
        return block;
    }

    /// <summary>X with A X = B for a symmetric positive definite A (Cholesky, A = C C^T).</summary>
    public static double[,] SolveSymmetric(double[,] a, double[,] b)
    {
        var n = a.GetLength(0);
        var c = new double[n, n];
        for (var j = 0; j < n; j++)
        {
            var sum = a[j, j];
            for (var k = 0; k < j; k++)
                sum -= c[j, k] * c[j, k];
            if (!(sum > 0))
                throw new ArgumentException($"the matrix is not positive definite (pivot {j} is {sum})");
            c[j, j] = Math.Sqrt(sum);
            for (var i = j + 1; i < n; i++)
            {
                var s = a[i, j];
                for (var k = 0; k < j; k++)
                    s -= c[i, k] * c[j, k];
                c[i, j] = s / c[j, j];
            }
        }

        var m = b.GetLength(1);
        var x = new double[n, m];
        for (var col = 0; col < m; col++)
        {
            var z = new double[n];
            for (var i = 0; i < n; i++)
            {
                var s = b[i, col];
                for (var k = 0; k < i; k++)
                    s -= c[i, k] * z[k];
                z[i] = s / c[i, i];
            }

            for (var i = n - 1; i >= 0; i--)
            {
                var s = z[i];
                for (var k = i + 1; k < n; k++)
                    s -= c[k, i] * x[k, col];
                x[i, col] = s / c[i, i];
            }
        }

        return x;
    }

    /// <summary>V diag(values) V^T for the eigenvectors V (columns).</summary>
    public static double[,] FromEigen(double[,] vectors, IReadOnlyList<double> values)
    {
        var n = vectors.GetLength(0);
        var scaled = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var k = 0; k < n; k++)
                scaled[i, k] = vectors[i, k] * values[k];
        return Multiply(scaled, Transpose(vectors));
    }
}
