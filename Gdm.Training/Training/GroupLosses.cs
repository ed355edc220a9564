using System.Globalization;

namespace Gdm.Training.Training;

/// <summary>
/// Running per-group loss: sums of the weighted squared errors and counts of the supervised coefficients of each
/// group since the last Reset, so Mean(g) is group g's share of the loss the trainer minimises (NaN while no item of
/// the batch fell in its interval).
/// </summary>
public sealed class GroupLosses(int groups)
{
    private readonly double[] _sums = new double[groups];
    private readonly double[] _counts = new double[groups];

    public int Count => _sums.Length;

    public void Add(ReadOnlySpan<float> sums, ReadOnlySpan<float> counts)
    {
        if (sums.Length != _sums.Length || counts.Length != _sums.Length)
            throw new ArgumentException($"expected {_sums.Length} group sums and counts, got {sums.Length} and {counts.Length}");
        for (var g = 0; g < _sums.Length; g++)
        {
            if (!float.IsFinite(sums[g]))
                continue;
            _sums[g] += sums[g];
            _counts[g] += counts[g];
        }
    }

    public double Mean(int group) => _counts[group] > 0 ? _sums[group] / _counts[group] : double.NaN;

    /// <summary>"0.412 0.305 - 0.198": one value per group, '-' for a group with no items yet.</summary>
    public string Format() =>
        string.Join(' ', Enumerable.Range(0, Count).Select(g => double.IsNaN(Mean(g)) ? "-" : Mean(g).ToString("F3", CultureInfo.InvariantCulture)));

    public void Reset()
    {
        Array.Clear(_sums);
        Array.Clear(_counts);
    }
}
