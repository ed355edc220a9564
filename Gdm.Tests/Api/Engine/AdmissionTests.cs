using Gdm.Api.Engine;
using Gdm.Core.Latents;
using Gdm.Core.Sampling;
using Gdm.Core.Schedules;

namespace Gdm.Tests.Api.Engine;

/// <summary>
/// Admission by cost: evaluations times the measured seconds per call. The measurements are given, not timed (the
/// worker is held by the gate before its first call returns), so every decision below is exact arithmetic.
/// </summary>
public sealed class AdmissionTests
{
    [Fact]
    public async Task Work_that_cannot_finish_in_time_alone_is_too_large_and_behind_a_queue_is_busy_with_the_drain_time_as_retry_after()
    {
        await using var engine = await EngineHarness.StartAsync(maxBatchSize: 1, queueCapacity: 16);
        for (var i = 0; i < 15; i++)
            engine.Queue.Load.ObserveCall(1, 0.5); // deadline 120 s: 240 evaluations fit

        var tooLarge = Assert.Throws<WorkTooLargeException>(() => engine.Queue.Submit(Work(engine, evaluations: 300)));
        Assert.Contains("300 network evaluations", tooLarge.Message);

        engine.Gate.Close();
        var running = engine.Queue.Submit(Work(engine, evaluations: 100));
        await engine.Gate.WaitForCallAsync();
        var queued = engine.Queue.Submit(Work(engine, evaluations: 100)); // 100 running + 100 waiting + 100 = 100 s at the drain rate

        var busy = Assert.Throws<EngineBusyException>(() => engine.Queue.Submit(Work(engine, evaluations: 100)));
        Assert.Equal(TimeSpan.FromSeconds(100), busy.RetryAfter); // 200 evaluations ahead at 0.5 s
        Assert.Equal(TimeSpan.FromSeconds(100), engine.Queue.EstimatedDrainTime);
        Assert.Contains("200 network evaluations are admitted ahead", busy.Message);
        Assert.Equal(1, engine.Queue.Depth);
        engine.Gate.Open();
        await Task.WhenAll(running.FinalStates, queued.FinalStates).WaitAsync(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void Seconds_per_call_are_the_median_of_recent_calls_and_scale_with_the_batch_above_the_largest_measured()
    {
        var load = new EngineLoad(maxBatchSize: 8);
        Assert.Null(load.SecondsPerCall(4));
        foreach (var seconds in new[] { 0.01, 0.01, 5.0, 0.01, 0.02 })
            load.ObserveCall(2, seconds); // one call held up for 5 s does not move the median

        Assert.Equal(0.01, load.SecondsPerCall(2));
        Assert.Equal(0.01, load.SecondsPerCall(1));
        Assert.Equal(0.04, load.SecondsPerCall(8)!.Value, 12);
        Assert.Equal(0.04 / 8 * 800, load.DrainSeconds(800)!.Value, 12);
    }

    // One trajectory of `evaluations` Euler steps on the analytic model's groups (evaluations divisible by the group count).
    private static TrajectoryWork Work(EngineHarness engine, int evaluations)
    {
        var process = engine.Model.Process;
        var groups = process.Grouping.Count;
        var steps = TimeGrid.EqualSteps(groups, (evaluations + groups - 1) / groups);
        var grid = TimeGrid.Generation(process.Schedule, steps);
        Assert.Equal(evaluations, grid.StepCount);
        var start = new TrajectoryStart(LatentRecipe.FromSeed(1, groups).Realise(process.Grouping), grid, SamplerKind.Euler);
        return new TrajectoryWork(engine.Model, [start], CancellationToken.None);
    }
}
