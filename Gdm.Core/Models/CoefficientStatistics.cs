using Gdm.Core.Grouping;
using Gdm.Core.Transforms;

namespace Gdm.Core.Models;

/// <summary>
/// Per-coefficient mean and standard deviation of y = T x over a training set (pixels scaled to the model's value
/// range), and per group the rms of its coefficients' deviations, sigma_g = sqrt(mean over i in G_g of std_i^2).
/// sigma_g says where on [0, 1] a band's signal-to-noise ratio ((1 - a) sigma / a)^2 crosses 1, which is what the
/// per-band time warp is built on. Stored in the manifest; optional there (models exported before it existed have none).
/// </summary>
public sealed record CoefficientStatistics
{
    /// <summary>What the statistics were measured on, e.g. "fashion-mnist (60000 images)".</summary>
    public required string DataSet { get; init; }

    public required int Images { get; init; }

    /// <summary>E[y_i], one value per coefficient in Core's coefficient order.</summary>
    public required IReadOnlyList<float> Mean { get; init; }

    /// <summary>sqrt(Var[y_i]) (population variance), one value per coefficient.</summary>
    public required IReadOnlyList<float> Std { get; init; }

    /// <summary>sigma_g, one value per group in generation order.</summary>
    public required IReadOnlyList<float> GroupStd { get; init; }

    /// <summary>Measures images given as pixel arrays (each read once, as it is enumerated; the array may be reused).</summary>
    public static CoefficientStatistics Measure(IOrthogonalTransform transform, CoefficientGrouping grouping, IEnumerable<float[]> images, string dataSet)
    {
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentNullException.ThrowIfNull(grouping);
        ArgumentNullException.ThrowIfNull(images);
        if (transform.Shape != grouping.Shape)
            throw new ArgumentException($"the transform is for {transform.Shape} images, the grouping for {grouping.Shape}");
        var d = grouping.Shape.Size;
        var sums = new double[d];
        var squares = new double[d];
        var coefficients = new float[d];
        var count = 0;
        foreach (var pixels in images)
        {
            if (pixels.Length != d)
                throw new ArgumentException($"image {count} has {pixels.Length} values, expected {d}");
            transform.Forward(pixels, coefficients);
            for (var i = 0; i < d; i++)
            {
                double y = coefficients[i];
                sums[i] += y;
                squares[i] += y * y;
            }

            count++;
        }

        if (count == 0)
            throw new ArgumentException("statistics need at least one image");
        var mean = new float[d];
        var variance = new double[d];
        for (var i = 0; i < d; i++)
        {
            var m = sums[i] / count;
            mean[i] = (float)m;
            variance[i] = Math.Max(0.0, squares[i] / count - m * m);
        }

        var groupStd = grouping.Groups
            .Select(g => (float)Math.Sqrt(g.Indices.Average(i => variance[i])))
            .ToArray();
        return new CoefficientStatistics
        {
            DataSet = dataSet,
            Images = count,
            Mean = mean,
            Std = variance.Select(v => (float)Math.Sqrt(v)).ToArray(),
            GroupStd = groupStd,
        };
    }

    /// <summary>Throws a ManifestException (under "statistics") when the lengths do not fit the model or a value is not finite.</summary>
    public void Validate(int coefficients, int groups)
    {
        if (Images < 1)
            throw new ManifestException("statistics.images", $"must be at least 1, got {Images}");
        CheckValues("statistics.mean", Mean, coefficients, allowNegative: true);
        CheckValues("statistics.std", Std, coefficients, allowNegative: false);
        CheckValues("statistics.groupStd", GroupStd, groups, allowNegative: false);
    }

    private static void CheckValues(string field, IReadOnlyList<float>? values, int expected, bool allowNegative)
    {
        if (values is null || values.Count != expected)
            throw new ManifestException(field, $"needs {expected} values (one per {(field.EndsWith("groupStd", StringComparison.Ordinal) ? "group" : "coefficient")}), got {values?.Count ?? 0}");
        for (var i = 0; i < values.Count; i++)
            if (!float.IsFinite(values[i]) || (!allowNegative && values[i] < 0))
                throw new ManifestException(field, $"value {i} is {values[i]}: must be a finite number{(allowNegative ? "" : " >= 0")}");
    }
}
