namespace Gdm.Core.Measures;

/// <summary>
/// Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations (Golub and Van Loan, section 8.5), in double.
/// Feature covariances here are at most a few hundred wide, where Jacobi is accurate and fast enough.
/// </summary>
public static class SymmetricEigen
{
    /// <summary>Returns eigenvalues and the matrix whose columns are the matching unit eigenvectors.</summary>
    public static (double[] Values, double[,] Vectors) Decompose(double[,] symmetric)
    {
        var n = symmetric.GetLength(0);
        if (symmetric.GetLength(1) != n)
            throw new ArgumentException($"a {n}x{symmetric.GetLength(1)} matrix is not square");
        var a = (double[,])symmetric.Clone();
        var v = new double[n, n];
        for (var i = 0; i < n; i++)
            v[i, i] = 1;

        for (var sweep = 0; sweep < 100; sweep++)
        {
            double offDiagonal = 0, total = 0;
            for (var i = 0; i < n; i++)
                for (var j = 0; j < n; j++)
                {
                    total += a[i, j] * a[i, j];
                    if (i != j)
                        offDiagonal += a[i, j] * a[i, j];
                }

            if (offDiagonal <= 1e-24 * Math.Max(total, 1e-300))
                break;
            for (var p = 0; p < n - 1; p++)
                for (var q = p + 1; q < n; q++)
                    if (a[p, q] != 0)
                        Rotate(a, v, p, q);
        }

        var values = new double[n];
        for (var i = 0; i < n; i++)
            values[i] = a[i, i];
        return (values, v);
    }

    /// <summary>The symmetric square root of a positive semi-definite matrix (negative rounding noise clipped to 0).</summary>
    public static double[,] SquareRoot(double[,] symmetric)
    {
        var (values, vectors) = Decompose(symmetric);
        var n = values.Length;
        var result = new double[n, n];
        for (var k = 0; k < n; k++)
        {
            var root = Math.Sqrt(Math.Max(values[k], 0));
            for (var i = 0; i < n; i++)
                for (var j = 0; j < n; j++)
                    result[i, j] += vectors[i, k] * root * vectors[j, k];
        }

        return result;
    }

    // One Jacobi rotation that zeroes a[p, q]; V accumulates the rotations.
    private static void Rotate(double[,] a, double[,] v, int p, int q)
    {
        var n = a.GetLength(0);
        var theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
        var t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
        var c = 1 / Math.Sqrt(t * t + 1);
        var s = t * c;
        for (var k = 0; k < n; k++)
        {
            double akp = a[k, p], akq = a[k, q];
            a[k, p] = c * akp - s * akq;
            a[k, q] = s * akp + c * akq;
        }

        for (var k = 0; k < n; k++)
        {
            double apk = a[p, k], aqk = a[q, k];
            a[p, k] = c * apk - s * aqk;
            a[q, k] = s * apk + c * aqk;
        }

        for (var k = 0; k < n; k++)
        {
            double vkp = v[k, p], vkq = v[k, q];
            v[k, p] = c * vkp - s * vkq;
            v[k, q] = s * vkp + c * vkq;
        }
    }
}
