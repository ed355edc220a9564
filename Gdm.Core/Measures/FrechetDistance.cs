namespace Gdm.Core.Measures;

/// <summary>
/// Fréchet distance between the Gaussians fitted to two feature sets (Dowson and Landau 1982; the FID of Heusel et
/// al. 2017 with a project-trained classifier's features): |mu1 - mu2|^2 + tr(S1 + S2 - 2 (S1^1/2 S2 S1^1/2)^1/2).
/// </summary>
public static class FrechetDistance
{
    public static double Between(FeatureStatistics first, FeatureStatistics second)
    {
        var d = first.Mean.Length;
        if (second.Mean.Length != d)
            throw new ArgumentException($"feature sizes differ: {d} and {second.Mean.Length}");
        var meanTerm = 0.0;
        for (var i = 0; i < d; i++)
            meanTerm += (first.Mean[i] - second.Mean[i]) * (first.Mean[i] - second.Mean[i]);

        // tr((S1 S2)^1/2) = tr((S1^1/2 S2 S1^1/2)^1/2), and the inner matrix is symmetric positive semi-definite.
        var root = SymmetricEigen.SquareRoot(first.Covariance);
        var inner = Multiply(Multiply(root, second.Covariance), root);
        for (var i = 0; i < d; i++)
            for (var j = i + 1; j < d; j++)
                inner[i, j] = inner[j, i] = 0.5 * (inner[i, j] + inner[j, i]);
        var (values, _) = SymmetricEigen.Decompose(inner);
        var crossTrace = values.Sum(v => Math.Sqrt(Math.Max(v, 0)));
        var trace = 0.0;
        for (var i = 0; i < d; i++)
            trace += first.Covariance[i, i] + second.Covariance[i, i];
        return Math.Max(0, meanTerm + trace - 2 * crossTrace);
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        var n = a.GetLength(0);
        var result = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var k = 0; k < n; k++)
            {
                var aik = a[i, k];
                if (aik == 0)
                    continue;
                for (var j = 0; j < n; j++)
                    result[i, j] += aik * b[k, j];
            }

        return result;
    }
}
