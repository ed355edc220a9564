namespace Gdm.Core.Schedules;

/// <summary>
/// Training times with a fixed share of each batch per group, instead of i.i.d. uniform ones. Item j of B takes the
/// point p_j = (j + v) / B of one shared offset v in [0, 1), finds the group whose share of the tiling contains it
/// (shares in generation order, each as long as the group's base interval [s_g, e_g]), and draws its time uniformly
/// inside that interval. A group with a share L gets floor(L B) or ceil(L B) items every batch, L B on average, where
/// i.i.d. times give it a binomial count (for six groups and B = 32: anywhere from 0 to 32, standard deviation 2.1).
/// </summary>
public static class GroupQuota
{
    /// <summary>Item j's time from its uniform draw u_j in [0, 1) and the batch's offset v in [0, 1).</summary>
    public static float[] Times(GroupSchedule schedule, IReadOnlyList<float> uniforms, double offset)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(uniforms);
        if (offset is < 0 or >= 1 || double.IsNaN(offset))
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "the batch offset must lie in [0, 1)");
        var count = uniforms.Count;
        var times = new float[count];
        for (var j = 0; j < count; j++)
        {
            var interval = schedule.Interval(GroupAt(schedule, (j + offset) / count));
            var share = interval.End - interval.BaseStart;
            times[j] = (float)(interval.BaseStart + uniforms[j] * share);
        }

        return times;
    }

    /// <summary>The group whose share of [0, 1), laid out in generation order, holds p.</summary>
    public static int GroupAt(GroupSchedule schedule, double p)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var end = 0.0;
        for (var g = 0; g < schedule.Count - 1; g++)
        {
            var interval = schedule.Interval(g);
            end += interval.End - interval.BaseStart;
            if (p < end)
                return g;
        }

        return schedule.Count - 1;
    }
}
