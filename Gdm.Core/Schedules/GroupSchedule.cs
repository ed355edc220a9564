using System.Globalization;

namespace Gdm.Core.Schedules;

/// <summary>
/// The per-group time intervals: e_1 = 1, e_g = s_{g-1}, s_K = 0, each optionally widened downward
/// by Overlap times its length. Group 0 (generated first) owns the interval that touches t = 1.
/// </summary>
public sealed class GroupSchedule
{
    private readonly GroupInterval[] _intervals;

    private GroupSchedule(IReadOnlyList<double> boundaries, double overlap)
    {
        Boundaries = boundaries;
        Overlap = overlap;
        _intervals = new GroupInterval[boundaries.Count - 1];
        for (var g = 0; g < _intervals.Length; g++)
        {
            double end = boundaries[g], baseStart = boundaries[g + 1];
            var start = Math.Max(0.0, baseStart - overlap * (end - baseStart));
            _intervals[g] = new GroupInterval(start, baseStart, end);
        }

        Breakpoints = boundaries.Concat(_intervals.Select(i => i.Start)).Distinct().OrderByDescending(t => t).ToArray();
    }

    /// <summary>1 = e_1 > e_2 > ... > e_K > s_K = 0: K + 1 values, descending.</summary>
    public IReadOnlyList<double> Boundaries { get; }

    /// <summary>Every time where some group's rate jumps (boundaries and widened starts), descending.</summary>
    public IReadOnlyList<double> Breakpoints { get; }

    public double Overlap { get; }

    public int Count => _intervals.Length;

    public GroupInterval Interval(int group) => _intervals[group];

    /// <summary>K intervals of equal length 1/K.</summary>
    public static GroupSchedule Equal(int groups, double overlap = 0)
    {
        if (groups < 1)
            throw new ArgumentException($"a schedule needs at least one group, got {groups}");
        var boundaries = Enumerable.Range(0, groups + 1).Select(i => 1.0 - (double)i / groups).ToArray();
        boundaries[^1] = 0.0;
        return Create(boundaries, overlap);
    }

    /// <summary>Explicit boundaries 1 = e_1 > ... > e_K > 0 = s_K (K + 1 values, descending).</summary>
    public static GroupSchedule Create(IReadOnlyList<double> boundaries, double overlap = 0)
    {
        ArgumentNullException.ThrowIfNull(boundaries);
        if (boundaries.Count < 2 || boundaries[0] != 1.0 || boundaries[^1] != 0.0)
            throw new ArgumentException($"schedule boundaries must run from 1 down to 0, got {Format(boundaries)}");
        for (var i = 1; i < boundaries.Count; i++)
            if (!(boundaries[i] < boundaries[i - 1]))
                throw new ArgumentException($"schedule boundaries must fall strictly: group {i} has interval [{boundaries[i]}, {boundaries[i - 1]}]");
        if (!(overlap >= 0) || double.IsInfinity(overlap))
            throw new ArgumentException($"overlap must be a finite number >= 0, got {overlap}");
        return new GroupSchedule(boundaries.ToArray(), overlap);
    }

    /// <summary>From interval lengths in generation order (normalised to sum to 1), e.g. "1,1,2".</summary>
    public static GroupSchedule FromLengths(IReadOnlyList<double> lengths, double overlap = 0)
    {
        if (lengths.Count == 0 || lengths.Any(l => !(l > 0) || double.IsInfinity(l)))
            throw new ArgumentException($"interval lengths must be positive numbers, got {Format(lengths)}");
        var total = lengths.Sum();
        var boundaries = new double[lengths.Count + 1];
        boundaries[0] = 1.0;
        var used = 0.0;
        for (var g = 0; g < lengths.Count; g++)
        {
            used += lengths[g];
            boundaries[g + 1] = g == lengths.Count - 1 ? 0.0 : 1.0 - used / total;
        }

        return Create(boundaries, overlap);
    }

    public double NoiseLevel(int group, double t) => _intervals[group].NoiseLevel(t);

    public double Rate(int group, double t) => _intervals[group].Rate(t);

    /// <summary>Whether group g moves at time t (strictly inside its widened interval).</summary>
    public bool IsActive(int group, double t) => _intervals[group].Contains(t);

    /// <summary>
    /// True when group g has not started at time t (t > e_g): it is still pure, independent noise. At e_g itself the
    /// group's own state is needed, so it has started there.
    /// </summary>
    public bool NotStarted(int group, double t) => t > _intervals[group].End;

    /// <summary>
    /// How many groups (0, 1, ... in generation order) have started throughout a step between t and t2: group h has
    /// started there when e_h is at or above both ends. Every e_h is a grid point, so no step has one strictly inside,
    /// and an evaluation at the step's lower end e_{g+1} still belongs to a step where group g + 1 is pure noise.
    /// </summary>
    public int StartedGroups(double t, double t2)
    {
        var top = Math.Max(t, t2);
        var started = 0;
        while (started < _intervals.Length && _intervals[started].End >= top)
            started++;
        return started;
    }

    /// <summary>The generation time at which group g starts, e_g (where a prefix start begins).</summary>
    public double StartTime(int group) => _intervals[group].End;

    /// <summary>Fills a_g(t) for every group.</summary>
    public void NoiseLevels(double t, Span<double> levels)
    {
        for (var g = 0; g < _intervals.Length; g++)
            levels[g] = _intervals[g].NoiseLevel(t);
    }

    /// <summary>
    /// The rate of every group for a step between t and t2: a step lies inside one segment between breakpoints, so
    /// the rate of its midpoint holds for the whole step (at a boundary itself the active group is ambiguous).
    /// </summary>
    public void StepRates(double t, double t2, Span<double> rates)
    {
        var middle = 0.5 * (t + t2);
        for (var g = 0; g < _intervals.Length; g++)
            rates[g] = _intervals[g].Rate(middle);
    }

    private static string Format(IEnumerable<double> values) =>
        string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
}
