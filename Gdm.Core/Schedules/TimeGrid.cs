namespace Gdm.Core.Schedules;

/// <summary>
/// The times a trajectory visits, in the order it visits them: descending for generation (1 towards 0), ascending
/// for inversion (0 towards 1). Every breakpoint of the schedule in range is a grid point, so no step straddles a
/// jump of the velocity; group g's base interval holds StepsPerGroup[g] equal steps.
/// </summary>
public sealed class TimeGrid
{
    private readonly double[][] _stepRates;

    private TimeGrid(GroupSchedule schedule, double[] times, IReadOnlyList<int> stepsPerGroup, int firstGroup)
    {
        Times = times;
        StepsPerGroup = stepsPerGroup;
        FirstGroup = firstGroup;
        _stepRates = new double[times.Length - 1][];
        for (var s = 0; s < _stepRates.Length; s++)
        {
            _stepRates[s] = new double[schedule.Count];
            schedule.StepRates(times[s], times[s + 1], _stepRates[s]);
        }
    }

    public IReadOnlyList<double> Times { get; }

    public IReadOnlyList<int> StepsPerGroup { get; }

    /// <summary>The first group (in generation order) this grid integrates: 0 for a full run.</summary>
    public int FirstGroup { get; }

    public int StepCount => Times.Count - 1;

    public bool IsGeneration => Times[0] > Times[^1];

    /// <summary>a_g' of every group for step s (from Times[s] to Times[s + 1]); 0 for groups that do not move.</summary>
    public ReadOnlySpan<double> StepRates(int step) => _stepRates[step];

    /// <summary>Generation from e_firstGroup (1 for a full run, or a prefix start) down to 0.</summary>
    public static TimeGrid Generation(GroupSchedule schedule, IReadOnlyList<int> stepsPerGroup, int firstGroup = 0)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(stepsPerGroup);
        if (stepsPerGroup.Count != schedule.Count)
            throw new ArgumentException($"steps per group lists {stepsPerGroup.Count} values for {schedule.Count} groups");
        for (var g = 0; g < stepsPerGroup.Count; g++)
            if (stepsPerGroup[g] < 1)
                throw new ArgumentException($"group {g} needs at least one step, got {stepsPerGroup[g]}");
        if (firstGroup < 0 || firstGroup >= schedule.Count)
            throw new ArgumentException($"the first group must be between 0 and {schedule.Count - 1}, got {firstGroup}");
        if (firstGroup > 0 && schedule.Overlap > 0)
            throw new ArgumentException("a prefix start needs a schedule without overlap: with overlap the earlier groups are not finished at e_g");

        var times = new SortedSet<double>(Comparer<double>.Create((a, b) => b.CompareTo(a)));
        for (var g = firstGroup; g < schedule.Count; g++)
        {
            var interval = schedule.Interval(g);
            double end = interval.End, start = interval.BaseStart;
            for (var i = 0; i < stepsPerGroup[g]; i++)
                times.Add(end - (end - start) * i / stepsPerGroup[g]);
        }

        var top = schedule.StartTime(firstGroup);
        foreach (var b in schedule.Breakpoints)
            if (b <= top)
                times.Add(b);
        times.Add(0.0);
        return new TimeGrid(schedule, times.ToArray(), stepsPerGroup.ToArray(), firstGroup);
    }

    /// <summary>
    /// Inversion: a generation grid walked backwards, from 0 up to e_firstGroup (1 for a full inversion). Stopping at
    /// e_k leaves the groups before k at the input's coefficients (they never move below e_k) and gives the groups from
    /// k on exactly the values a full inversion gives them (they never move above e_k): the state a prefix start at k
    /// begins from, for the cost of the steps of groups k and after.
    /// </summary>
    public static TimeGrid Inversion(GroupSchedule schedule, IReadOnlyList<int> stepsPerGroup, int firstGroup = 0)
    {
        var forward = Generation(schedule, stepsPerGroup, firstGroup);
        return new TimeGrid(schedule, forward.Times.Reverse().ToArray(), forward.StepsPerGroup, firstGroup);
    }

    /// <summary>Equal steps per group.</summary>
    public static IReadOnlyList<int> EqualSteps(int groups, int stepsPerGroup) => Enumerable.Repeat(stepsPerGroup, groups).ToArray();
}
