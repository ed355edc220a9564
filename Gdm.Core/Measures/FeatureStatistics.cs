namespace Gdm.Core.Measures;

/// <summary>Mean and covariance of a set of feature vectors (rows), the input of a Fréchet distance.</summary>
public sealed record FeatureStatistics(double[] Mean, double[,] Covariance, int Count)
{
    public static FeatureStatistics Of(IReadOnlyList<float[]> features)
    {
        if (features.Count < 2)
            throw new ArgumentException($"statistics need at least two feature vectors, got {features.Count}");
        var d = features[0].Length;
        var mean = new double[d];
        foreach (var f in features)
            for (var i = 0; i < d; i++)
                mean[i] += f[i];
        for (var i = 0; i < d; i++)
            mean[i] /= features.Count;
        var covariance = new double[d, d];
        var centred = new double[d];
        foreach (var f in features)
        {
            for (var i = 0; i < d; i++)
                centred[i] = f[i] - mean[i];
            for (var i = 0; i < d; i++)
                for (var j = i; j < d; j++)
                    covariance[i, j] += centred[i] * centred[j];
        }

        for (var i = 0; i < d; i++)
            for (var j = i; j < d; j++)
                covariance[j, i] = covariance[i, j] /= features.Count - 1;
        return new FeatureStatistics(mean, covariance, features.Count);
    }
}
