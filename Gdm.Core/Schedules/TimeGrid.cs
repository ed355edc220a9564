namespace Gdm.Core.Schedules;

/// <summary>
/// The times a trajectory visits, in the order it visits them: descending for generation (1 towards 0), ascending
/// for inversion (0 towards 1). Every breakpoint of the schedule in range is a grid point, so no step straddles a
/// jump of the velocity; group g's base interval holds StepsPerGroup[g] steps, placed evenly in tau of BandWarp with the
/// group's shift Shifts[g] (shift 1: evenly in a_g, today's "uniform" grid). GridSpacing names the shifts.
/// </summary>
public sealed class TimeGrid
{
    private readonly double[][] _stepRates;
    private readonly int[] _startedGroups;
    private readonly bool[] _endsAtCleanData;
    private readonly GroupSchedule _schedule;

    private TimeGrid(GroupSchedule schedule, double[] times, IReadOnlyList<int> stepsPerGroup, IReadOnlyList<double> shifts, int firstGroup, CausalVisibility visibility)
    {
        _schedule = schedule;
        Visibility = visibility;
        Times = times;
        StepsPerGroup = stepsPerGroup;
        Shifts = shifts;
        FirstGroup = firstGroup;
        _stepRates = new double[times.Length - 1][];
        _startedGroups = new int[times.Length - 1];
        _endsAtCleanData = new bool[times.Length - 1];
        for (var s = 0; s < _stepRates.Length; s++)
        {
            _stepRates[s] = new double[schedule.Count];
            schedule.StepRates(times[s], times[s + 1], _stepRates[s]);
            _startedGroups[s] = schedule.StartedGroups(times[s], times[s + 1]);
            for (var g = 0; g < schedule.Count; g++)
                _endsAtCleanData[s] |= _stepRates[s][g] > 0 && schedule.Interval(g).Start == times[s + 1];
        }
    }

    public IReadOnlyList<double> Times { get; }

    public IReadOnlyList<int> StepsPerGroup { get; }

    /// <summary>The BandWarp shift s_g of each group's steps (1 for evenly spaced a_g).</summary>
    public IReadOnlyList<double> Shifts { get; }

    public CausalVisibility Visibility { get; }

    /// <summary>The first group (in generation order) this grid integrates: 0 for a full run.</summary>
    public int FirstGroup { get; }

    public int StepCount => Times.Count - 1;

    public bool IsGeneration => Times[0] > Times[^1];

    /// <summary>a_g' of every group for step s (from Times[s] to Times[s + 1]); 0 for groups that do not move.</summary>
    public ReadOnlySpan<double> StepRates(int step) => _stepRates[step];

    /// <summary>
    /// Whether step s ends where a group that moves in it reaches a_g = 0 (clean data): the last step of each group in
    /// generation, never a step of inversion (which leaves a_g = 0 at the start of a group's steps).
    /// </summary>
    public bool EndsAtCleanData(int step) => _endsAtCleanData[step];

    /// <summary>
    /// How many groups, in generation order, causal-input shows the network at an evaluation of step s at a time:
    /// those started throughout the step, whichever end of it the evaluation is at (Visibility Step), or, for replaying
    /// old recipes, those started at the evaluation time itself (Visibility EvaluationTime).
    /// </summary>
    public int StartedGroups(int step, double evaluationTime) =>
        Visibility == CausalVisibility.Step ? _startedGroups[step] : _schedule.StartedGroups(evaluationTime, evaluationTime);

    /// <summary>
    /// Generation from e_firstGroup (1 for a full run, or a prefix start) down to 0. Shifts: the BandWarp shift of each
    /// group (GridSpacing.Shifts gives them from a grid's name); without them every group's steps are even in a_g.
    /// </summary>
    public static TimeGrid Generation(
        GroupSchedule schedule,
        IReadOnlyList<int> stepsPerGroup,
        int firstGroup = 0,
        IReadOnlyList<double>? shifts = null,
        CausalVisibility visibility = CausalVisibility.Step)
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
        var groupShifts = shifts?.ToArray() ?? Enumerable.Repeat(1.0, schedule.Count).ToArray();
        if (groupShifts.Length != schedule.Count)
            throw new ArgumentException($"the grid's shifts list {groupShifts.Length} values for {schedule.Count} groups");
        for (var g = 0; g < groupShifts.Length; g++)
            if (!(groupShifts[g] > 0) || double.IsInfinity(groupShifts[g]))
                throw new ArgumentException($"group {g}'s shift must be a positive number, got {groupShifts[g]}");

        var times = new SortedSet<double>(Comparer<double>.Create((a, b) => b.CompareTo(a)));
        for (var g = firstGroup; g < schedule.Count; g++)
        {
            var interval = schedule.Interval(g);
            double end = interval.End, start = interval.BaseStart;
            int n = stepsPerGroup[g];
            // A group's first time is its boundary exactly: start + (end - start) can miss end by an ulp, which would
            // add a step of 1e-16 and start a prefix above its boundary.
            for (var i = 0; i < n; i++)
                times.Add(i == 0 ? end
                    : groupShifts[g] == 1.0
                    ? end - (end - start) * i / n // even in a_g, in the exact arithmetic old recipes were made with
                    : start + (end - start) * BandWarp.NoiseLevel(groupShifts[g], (double)(n - i) / n));
        }

        var top = schedule.StartTime(firstGroup);
        foreach (var b in schedule.Breakpoints)
            if (b <= top)
                times.Add(b);
        times.Add(0.0);
        return new TimeGrid(schedule, times.ToArray(), stepsPerGroup.ToArray(), groupShifts, firstGroup, visibility);
    }

    /// <summary>
    /// Inversion: a generation grid walked backwards, from 0 up to e_firstGroup (1 for a full inversion). Stopping at
    /// e_k leaves the groups before k at the input's coefficients (they never move below e_k) and gives the groups from
    /// k on exactly the values a full inversion gives them (they never move above e_k): the state a prefix start at k
    /// begins from, for the cost of the steps of groups k and after.
    /// </summary>
    public static TimeGrid Inversion(
        GroupSchedule schedule,
        IReadOnlyList<int> stepsPerGroup,
        int firstGroup = 0,
        IReadOnlyList<double>? shifts = null,
        CausalVisibility visibility = CausalVisibility.Step)
    {
        var forward = Generation(schedule, stepsPerGroup, firstGroup, shifts, visibility);
        return new TimeGrid(schedule, forward.Times.Reverse().ToArray(), forward.StepsPerGroup, forward.Shifts, firstGroup, visibility);
    }

    /// <summary>Equal steps per group.</summary>
    public static IReadOnlyList<int> EqualSteps(int groups, int stepsPerGroup) => Enumerable.Repeat(stepsPerGroup, groups).ToArray();
}
