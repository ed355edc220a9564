using Gdm.Core.Schedules;

namespace Gdm.Tests.Core.Schedules;

public sealed class TimeGridTests
{
    [Fact]
    public void A_warped_grid_starts_exactly_at_the_prefix_boundary_with_the_steps_asked_for()
    {
        // With these boundaries start + (end - start) is 0.9000000000000001, one ulp above the boundary 0.9.
        var grid = TimeGrid.Generation(GroupSchedule.Create([1, 0.9, 0.34, 0]), [3, 3, 3], firstGroup: 1, shifts: [2.0, 2.0, 2.0]);

        Assert.Equal(0.9, grid.Times[0]);
        Assert.Equal(6, grid.StepCount);
    }

    [Fact]
    public void Generation_grid_falls_from_1_to_0_and_contains_every_boundary()
    {
        var schedule = GroupSchedule.FromLengths([1, 2, 3]);
        var grid = TimeGrid.Generation(schedule, [3, 5, 2]);
        Assert.Equal(1.0, grid.Times[0]);
        Assert.Equal(0.0, grid.Times[^1]);
        for (var i = 1; i < grid.Times.Count; i++)
            Assert.True(grid.Times[i] < grid.Times[i - 1]);
        foreach (var boundary in schedule.Boundaries)
            Assert.Contains(boundary, grid.Times);
        Assert.Equal(10, grid.StepCount);
    }

    [Fact]
    public void Each_step_moves_only_the_group_whose_interval_holds_it()
    {
        var schedule = GroupSchedule.Equal(3);
        var grid = TimeGrid.Generation(schedule, [2, 2, 2]);
        for (var s = 0; s < grid.StepCount; s++)
        {
            var rates = grid.StepRates(s).ToArray();
            Assert.Single(rates, r => r > 0);
            Assert.Equal(s / 2, Array.FindIndex(rates, r => r > 0));
            Assert.Equal(3.0, rates[s / 2], 9);
        }
    }

    [Fact]
    public void Overlap_breakpoints_are_grid_points_so_no_step_straddles_a_jump()
    {
        var schedule = GroupSchedule.Equal(2, overlap: 0.3);
        var grid = TimeGrid.Generation(schedule, [4, 4]);
        foreach (var b in schedule.Breakpoints)
            Assert.Contains(b, grid.Times);
    }

    [Fact]
    public void A_prefix_start_grid_begins_at_the_first_redrawn_groups_boundary_and_matches_the_full_grid_below_it()
    {
        var schedule = GroupSchedule.Equal(4);
        var full = TimeGrid.Generation(schedule, [3, 3, 3, 3]);
        var prefix = TimeGrid.Generation(schedule, [3, 3, 3, 3], firstGroup: 2);
        Assert.Equal(0.5, prefix.Times[0]);
        Assert.Equal(6, prefix.StepCount);
        Assert.Equal(full.Times.Skip(6), prefix.Times);
    }

    [Fact]
    public void A_prefix_start_with_overlap_is_refused_because_earlier_groups_are_not_finished()
    {
        var error = Assert.Throws<ArgumentException>(() => TimeGrid.Generation(GroupSchedule.Equal(3, 0.2), [2, 2, 2], firstGroup: 1));
        Assert.Contains("without overlap", error.Message);
    }

    [Fact]
    public void Inversion_grid_is_the_generation_grid_reversed()
    {
        var schedule = GroupSchedule.Equal(3);
        var forward = TimeGrid.Generation(schedule, [2, 3, 4]);
        var inverse = TimeGrid.Inversion(schedule, [2, 3, 4]);
        Assert.Equal(forward.Times.Reverse(), inverse.Times);
        Assert.False(inverse.IsGeneration);
    }

    [Fact]
    public void Inversion_up_to_group_k_stops_where_a_prefix_start_at_k_begins()
    {
        var schedule = GroupSchedule.Equal(3);
        var inverse = TimeGrid.Inversion(schedule, [2, 3, 4], firstGroup: 1);
        Assert.Equal(TimeGrid.Generation(schedule, [2, 3, 4], firstGroup: 1).Times.Reverse(), inverse.Times);
        Assert.Equal(schedule.StartTime(1), inverse.Times[^1]);
        Assert.Equal(3 + 4, inverse.StepCount);
    }

    [Fact]
    public void Zero_steps_for_a_group_is_refused_naming_the_group()
    {
        var error = Assert.Throws<ArgumentException>(() => TimeGrid.Generation(GroupSchedule.Equal(3), [2, 0, 2]));
        Assert.Contains("group 1", error.Message);
    }

    [Fact]
    public void The_uniform_grid_is_todays_grid_bit_for_bit()
    {
        var schedule = GroupSchedule.FromLengths([1, 2, 3]);
        var steps = new[] { 3, 5, 7 };
        var uniform = TimeGrid.Generation(schedule, steps, shifts: GridSpacing.Uniform.Shifts(3, null));
        var expected = new SortedSet<double>(Comparer<double>.Create((a, b) => b.CompareTo(a))) { 0.0 };
        for (var g = 0; g < 3; g++)
        {
            double end = schedule.Interval(g).End, start = schedule.Interval(g).Start;
            for (var i = 0; i < steps[g]; i++)
                expected.Add(end - (end - start) * i / steps[g]);
        }

        Assert.Equal(expected, uniform.Times);
        Assert.Equal(TimeGrid.Generation(schedule, steps).Times, uniform.Times);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(3.0)]
    public void A_warped_grid_falls_keeps_every_boundary_and_the_steps_of_each_group(double shift)
    {
        var schedule = GroupSchedule.Equal(3);
        var grid = TimeGrid.Generation(schedule, [4, 4, 4], shifts: [shift, 1.0, 1 / shift]);
        Assert.Equal(12, grid.StepCount);
        for (var i = 1; i < grid.Times.Count; i++)
            Assert.True(grid.Times[i] < grid.Times[i - 1]);
        foreach (var boundary in schedule.Boundaries)
            Assert.Contains(boundary, grid.Times);
        for (var g = 0; g < 3; g++)
        {
            var interval = schedule.Interval(g);
            Assert.Equal(4, grid.Times.Count(t => t > interval.Start && t <= interval.End));
        }
    }

    [Fact]
    public void A_warped_groups_steps_are_even_in_tau_of_the_band_warp()
    {
        var schedule = GroupSchedule.Equal(2);
        var grid = TimeGrid.Generation(schedule, [4, 4], shifts: [1.0, 0.25]);
        // Group 1 owns [0, 0.5]: its steps start at a = 1 and fall evenly in tau = 1, 3/4, 1/2, 1/4.
        var levels = grid.Times.Where(t => t <= 0.5).Select(t => schedule.NoiseLevel(1, t)).ToArray();
        Assert.Equal([1.0, 0.75, 0.5, 0.25, 0.0], levels.Select(a => BandWarp.Tau(0.25, a)).ToArray(), new Tolerance(1e-12));
        // s < 1 crowds the steps towards clean data, where a band of small spread is decided.
        Assert.True(levels[2] < 0.5 * 0.5);
    }

    [Fact]
    public void A_warped_prefix_start_grid_matches_the_full_grid_below_it()
    {
        var schedule = GroupSchedule.Equal(4);
        double[] shifts = [2.0, 1.2, 0.5, 0.1];
        var full = TimeGrid.Generation(schedule, [3, 3, 3, 3], shifts: shifts);
        var prefix = TimeGrid.Generation(schedule, [3, 3, 3, 3], firstGroup: 2, shifts: shifts);
        Assert.Equal(full.Times.Skip(6), prefix.Times);
        Assert.Equal(full.Times.Reverse(), TimeGrid.Inversion(schedule, [3, 3, 3, 3], shifts: shifts).Times);
    }

    [Fact]
    public void A_shift_list_of_the_wrong_length_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => TimeGrid.Generation(GroupSchedule.Equal(3), [2, 2, 2], shifts: [1.0, 1.0]));
        Assert.Contains("3 groups", error.Message);
    }

    [Fact]
    public void Every_evaluation_of_a_step_sees_the_groups_started_throughout_that_step()
    {
        var schedule = GroupSchedule.Equal(3);
        var generation = TimeGrid.Generation(schedule, [2, 2, 2]);
        // Step 1 runs from 5/6 down to e_1 = 2/3: group 1 has not started anywhere in it, not even at its lower end.
        Assert.Equal(2.0 / 3, generation.Times[2], 15);
        Assert.Equal(1, generation.StartedGroups(1, generation.Times[1]));
        Assert.Equal(1, generation.StartedGroups(1, generation.Times[2]));
        Assert.Equal(2, generation.StartedGroups(2, generation.Times[2]));
        // Inversion's first step of group 0 starts at e_1, where group 1 is already pure noise again.
        var inversion = TimeGrid.Inversion(schedule, [2, 2, 2]);
        var first = inversion.Times.ToList().IndexOf(generation.Times[2]);
        Assert.Equal(1, inversion.StartedGroups(first, inversion.Times[first]));
    }

    [Fact]
    public void The_evaluation_time_rule_kept_for_old_recipes_shows_a_group_from_its_own_start_time()
    {
        var schedule = GroupSchedule.Equal(3);
        var grid = TimeGrid.Generation(schedule, [2, 2, 2], visibility: CausalVisibility.EvaluationTime);
        Assert.Equal(2, grid.StartedGroups(1, grid.Times[2]));
        Assert.Equal(1, grid.StartedGroups(1, grid.Times[1]));
    }

    private sealed class Tolerance(double epsilon) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= epsilon;

        public int GetHashCode(double obj) => 0;
    }
}
