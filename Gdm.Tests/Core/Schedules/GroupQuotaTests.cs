using Gdm.Core.Schedules;

namespace Gdm.Tests.Core.Schedules;

public sealed class GroupQuotaTests
{
    public static TheoryData<string, int> Schedules => new()
    {
        // interval lengths in generation order, batch size
        { "1,1,1,1,1,1", 32 },
        { "1,1,1.5,2,3,4", 32 },
        { "1,1.7,3.5,6.9,13.9,23", 32 },
        { "1,2,3", 7 },
    };

    [Theory]
    [MemberData(nameof(Schedules))]
    public void Every_group_gets_the_floor_or_ceiling_of_its_share_of_every_batch(string lengths, int batch)
    {
        var schedule = GroupSchedule.FromLengths(lengths.Split(',').Select(double.Parse).ToArray());
        var random = new Random(5);
        var totals = new double[schedule.Count];
        const int batches = 400;
        for (var b = 0; b < batches; b++)
        {
            var uniforms = Enumerable.Range(0, batch).Select(_ => (float)random.NextDouble()).ToArray();
            var times = GroupQuota.Times(schedule, uniforms, random.NextDouble());
            for (var g = 0; g < schedule.Count; g++)
            {
                var interval = schedule.Interval(g);
                var count = times.Count(t => t >= interval.BaseStart && t <= interval.End);
                var share = (interval.End - interval.BaseStart) * batch;
                Assert.InRange(count, Math.Floor(share), Math.Ceiling(share));
                totals[g] += count;
            }
        }

        // The random offset rotates the odd item, so on average each group gets exactly its share.
        for (var g = 0; g < schedule.Count; g++)
        {
            var interval = schedule.Interval(g);
            Assert.Equal((interval.End - interval.BaseStart) * batch, totals[g] / batches, 0.1);
        }
    }

    [Fact]
    public void Each_time_is_uniform_inside_its_groups_interval()
    {
        var schedule = GroupSchedule.Equal(4);
        var times = GroupQuota.Times(schedule, [0f, 0.5f, 0.999f, 0.25f], 0);

        // Items 0..3 at p = 0, 1/4, 1/2, 3/4 fall in groups 0..3, whose intervals run from t = 1 down.
        Assert.Equal([0.75f, 0.625f, 0.25f * 0.999f + 0.25f, 0.0625f], times, new FloatTolerance(1e-6f));
    }

    [Fact]
    public void An_offset_outside_0_to_1_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => GroupQuota.Times(GroupSchedule.Equal(2), [0.5f], 1.0));
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
