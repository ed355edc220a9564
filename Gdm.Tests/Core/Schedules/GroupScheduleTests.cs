using Gdm.Core.Schedules;

namespace Gdm.Tests.Core.Schedules;

public sealed class GroupScheduleTests
{
    [Fact]
    public void Equal_intervals_tile_the_unit_interval_in_generation_order()
    {
        var schedule = GroupSchedule.Equal(4);
        Assert.Equal([1.0, 0.75, 0.5, 0.25, 0.0], schedule.Boundaries);
        Assert.Equal(1.0, schedule.Interval(0).End);
        Assert.Equal(0.0, schedule.Interval(3).Start);
        for (var g = 1; g < 4; g++)
            Assert.Equal(schedule.Interval(g - 1).Start, schedule.Interval(g).End);
    }

    [Fact]
    public void Noise_level_is_1_at_the_start_of_a_group_0_at_its_end_and_monotone_in_between()
    {
        var schedule = GroupSchedule.Equal(3);
        for (var g = 0; g < 3; g++)
        {
            var interval = schedule.Interval(g);
            Assert.Equal(1.0, schedule.NoiseLevel(g, interval.End));
            Assert.Equal(0.0, schedule.NoiseLevel(g, interval.Start));
            Assert.Equal(1.0, schedule.NoiseLevel(g, 1.0)); // not started: pure noise
            Assert.Equal(0.0, schedule.NoiseLevel(g, 0.0)); // finished: clean
            var previous = -1.0;
            for (var i = 0; i <= 1000; i++)
            {
                var level = schedule.NoiseLevel(g, i / 1000.0);
                Assert.True(level >= previous, $"a_{g} falls at t = {i / 1000.0}");
                previous = level;
            }
        }
    }

    [Fact]
    public void Rate_is_the_inverse_interval_length_inside_and_zero_outside()
    {
        var schedule = GroupSchedule.FromLengths([1, 3]);
        Assert.Equal([1.0, 0.75, 0.0], schedule.Boundaries);
        Assert.Equal(4.0, schedule.Rate(0, 0.9), 12);
        Assert.Equal(0.0, schedule.Rate(0, 0.5));
        Assert.Equal(1 / 0.75, schedule.Rate(1, 0.5), 12);
        Assert.False(schedule.IsActive(1, 0.9));
    }

    [Fact]
    public void Overlap_widens_each_interval_downward_so_neighbours_are_active_together()
    {
        var schedule = GroupSchedule.Equal(2, overlap: 0.5);
        Assert.Equal(0.25, schedule.Interval(0).Start, 12);
        Assert.Equal(0.0, schedule.Interval(1).Start); // clipped at 0
        Assert.True(schedule.IsActive(0, 0.4) && schedule.IsActive(1, 0.4));
        Assert.Equal(1 / 0.75, schedule.Rate(0, 0.4), 12);
        Assert.Contains(0.25, schedule.Breakpoints);
    }

    [Theory]
    [InlineData(new[] { 1.0, 0.5 })]
    [InlineData(new[] { 0.9, 0.5, 0.0 })]
    [InlineData(new[] { 1.0, 0.2, 0.5, 0.0 })]
    public void Boundaries_that_do_not_fall_from_1_to_0_are_refused(double[] boundaries) =>
        Assert.Throws<ArgumentException>(() => GroupSchedule.Create(boundaries));

    [Fact]
    public void A_group_not_yet_started_is_the_one_whose_interval_is_still_ahead()
    {
        var schedule = GroupSchedule.Equal(2);
        Assert.True(schedule.NotStarted(1, 0.8));
        Assert.False(schedule.NotStarted(1, 0.5)); // at its own start its state is needed
        Assert.True(schedule.NotStarted(1, Math.BitIncrement(0.5))); // exact: times are the grid's doubles
        Assert.False(schedule.NotStarted(0, 1.0));
    }
}
