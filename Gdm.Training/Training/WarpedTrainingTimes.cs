using Gdm.Core.Schedules;

namespace Gdm.Training.Training;

/// <summary>
/// Training times on the band warp: an item's t ~ U(0, 1) keeps its group (the interval it falls in, so each group
/// still gets its interval's share of the items), and inside that interval its uniform position tau becomes the
/// noise level a = BandWarp(s_g, tau), so training sees the noise levels in the proportions that the band-warp
/// sampler's grid visits them. Needs intervals without overlap (each t then lies in exactly one of them).
/// </summary>
public sealed class WarpedTrainingTimes
{
    private readonly GroupSchedule _schedule;
    private readonly double[] _shifts;

    public WarpedTrainingTimes(GroupSchedule schedule, IReadOnlyList<double> shifts)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(shifts);
        if (schedule.Overlap != 0)
            throw new ArgumentException($"warped training times need intervals without overlap, got overlap {schedule.Overlap}");
        if (shifts.Count != schedule.Count)
            throw new ArgumentException($"{shifts.Count} warp shifts for {schedule.Count} groups");
        _schedule = schedule;
        _shifts = shifts.ToArray();
    }

    /// <summary>t' of each uniform t in [0, 1], in place.</summary>
    public void Apply(Span<float> times)
    {
        for (var b = 0; b < times.Length; b++)
        {
            double t = times[b];
            var g = GroupAt(t);
            var interval = _schedule.Interval(g);
            var tau = Math.Clamp((t - interval.Start) / interval.Length, 0.0, 1.0);
            times[b] = (float)(interval.Start + BandWarp.NoiseLevel(_shifts[g], tau) * interval.Length);
        }
    }

    private int GroupAt(double t)
    {
        for (var g = 0; g < _schedule.Count; g++)
            if (t >= _schedule.Interval(g).Start)
                return g;
        return _schedule.Count - 1;
    }
}
