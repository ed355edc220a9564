using Gdm.Api.Engine;
using Gdm.Core.Latents;
using Gdm.Core.Sampling;
using Gdm.Core.Schedules;

namespace Gdm.Tests.Api.Engine;

public sealed class BatchingWorkerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_request_arriving_mid_way_joins_the_running_batch_at_the_next_step_with_its_own_time()
    {
        await using var engine = await EngineHarness.StartAsync();
        engine.Gate.Close();
        var first = engine.Queue.Submit(engine.Work(seed: 1, stepsPerGroup: 4));
        await engine.Gate.WaitForCallAsync();
        var second = engine.Queue.Submit(engine.Work(seed: 2, stepsPerGroup: 4));
        engine.Gate.Open();

        await Task.WhenAll(first.FinalStates, second.FinalStates).WaitAsync(Patience);
        var batches = engine.Gate.BatchTimes.ToArray();
        Assert.Single(batches[0]);
        Assert.Equal([0.9375f, 1f], batches[1]); // 4 groups x 4 steps: the first step ends at 1 - 1/16
    }

    [Fact]
    public async Task A_trajectory_gives_the_same_bits_alone_and_inside_a_busy_staggered_batch()
    {
        await using var engine = await EngineHarness.StartAsync(maxBatchSize: 4);
        var alone = (await engine.Queue.Submit(engine.Work(seed: 7, stepsPerGroup: 5)).FinalStates.WaitAsync(Patience))[0];

        engine.Gate.Close();
        var others = engine.Queue.Submit(engine.Work(seed: 8, stepsPerGroup: 5, count: 2));
        await engine.Gate.WaitForCallAsync();
        engine.Gate.Allow(2);
        await engine.Gate.WaitForCallAsync();
        await engine.Gate.WaitForCallAsync();
        var again = engine.Queue.Submit(engine.Work(seed: 7, stepsPerGroup: 5));
        var more = engine.Queue.Submit(engine.Work(seed: 9, stepsPerGroup: 5, count: 3));
        engine.Gate.Open();
        await Task.WhenAll(others.FinalStates, more.FinalStates).WaitAsync(Patience);

        Assert.Equal(alone, (await again.FinalStates)[0]);
        Assert.Contains(engine.Gate.BatchTimes, times => times.Distinct().Count() > 1);
    }

    [Fact]
    public async Task The_engine_integrates_exactly_like_the_reference_integrator_for_generation_and_inversion()
    {
        await using var engine = await EngineHarness.StartAsync();
        var process = engine.Model.Process;
        var steps = TimeGrid.EqualSteps(process.Grouping.Count, 3);
        var noise = LatentRecipe.FromSeed(5, process.Grouping.Count).Realise(process.Grouping);
        var starts = new[]
        {
            new TrajectoryStart(noise, TimeGrid.Generation(process.Schedule, steps), SamplerKind.Heun),
            new TrajectoryStart(noise, TimeGrid.Inversion(process.Schedule, steps), SamplerKind.Euler),
            new TrajectoryStart(noise, TimeGrid.Generation(process.Schedule, steps, firstGroup: 2), SamplerKind.Euler),
        };

        var served = await engine.Generator.RunAsync(engine.Model, starts, null, CancellationToken.None).WaitAsync(Patience);

        for (var i = 0; i < starts.Length; i++)
        {
            var reference = new Trajectory(starts[i].State.ToArray(), starts[i].Grid);
            Integrator.Run(engine.Model.Denoiser, Samplers.Create(starts[i].Sampler), process.Grouping, [reference]);
            Assert.Equal(reference.State, served[i]);
        }
    }

    [Fact]
    public async Task Cancelling_a_running_request_frees_its_slot_at_the_next_step()
    {
        await using var engine = await EngineHarness.StartAsync(maxBatchSize: 1);
        using var cancellation = new CancellationTokenSource();
        engine.Gate.Close();
        var running = engine.Queue.Submit(engine.Work(seed: 1, stepsPerGroup: 50, token: cancellation.Token));
        await engine.Gate.WaitForCallAsync();
        var waiting = engine.Queue.Submit(engine.Work(seed: 2, stepsPerGroup: 1));

        cancellation.Cancel();
        engine.Gate.Open();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.FinalStates.WaitAsync(Patience));
        await waiting.FinalStates.WaitAsync(Patience);
        // The cancelled trajectory made its one evaluation in flight and no more; the waiting one then ran alone.
        Assert.Equal(1 + 4, engine.Gate.BatchTimes.Count);
    }

    [Fact]
    public async Task A_full_queue_refuses_new_work_at_once()
    {
        await using var engine = await EngineHarness.StartAsync(maxBatchSize: 1, queueCapacity: 1);
        engine.Gate.Close();
        var running = engine.Queue.Submit(engine.Work(seed: 1, stepsPerGroup: 2));
        await engine.Gate.WaitForCallAsync();
        var queued = engine.Queue.Submit(engine.Work(seed: 2, stepsPerGroup: 2));

        Assert.False(engine.Queue.TrySubmit(engine.Work(seed: 3, stepsPerGroup: 2), out _));
        Assert.Throws<EngineBusyException>(() => engine.Queue.Submit(engine.Work(seed: 3, stepsPerGroup: 2)));
        Assert.Equal(1, engine.Queue.PositionOf(queued));

        engine.Gate.Open();
        await Task.WhenAll(running.FinalStates, queued.FinalStates).WaitAsync(Patience);
    }

    [Fact]
    public async Task A_variation_of_a_recent_image_starts_from_its_prefix_and_keeps_earlier_groups_bit_identical()
    {
        await using var engine = await EngineHarness.StartAsync();
        var grouping = engine.Model.Process.Grouping;
        var source = new ImageRecipe(engine.Model.Name, new RecipeLatent.Seeded(LatentRecipe.FromSeed(11, grouping.Count)), [3, 3, 3, 3], SamplerKind.Euler);
        var made = (await engine.Generator.GenerateAsync(engine.Model, [source], null, CancellationToken.None).WaitAsync(Patience))[0];
        var callsForSource = engine.Gate.BatchTimes.Count;

        var variation = source with { Latent = new RecipeLatent.Seeded(((RecipeLatent.Seeded)source.Latent).Noise.Redraw([2, 3], seed: 99, strength: 1)), Prefix = new PrefixStart.OfRecipe(2, source) };
        var varied = (await engine.Generator.GenerateAsync(engine.Model, [variation], null, CancellationToken.None).WaitAsync(Patience))[0];

        // Only groups 2 and 3 were integrated (3 steps each), starting at t = e_2 = 0.5.
        Assert.Equal(6, engine.Gate.BatchTimes.Count - callsForSource);
        Assert.Equal(0.5f, engine.Gate.BatchTimes.ElementAt(callsForSource)[0]);
        foreach (var g in new[] { 0, 1 })
            foreach (var i in grouping.Groups[g].Indices)
                Assert.Equal(made.Coefficients[i], varied.Coefficients[i]);
        Assert.NotEqual(made.Coefficients, varied.Coefficients);
    }

    [Fact]
    public async Task Cancelled_queued_work_leaves_the_queue_at_once_and_its_place_takes_new_work()
    {
        await using var engine = await EngineHarness.StartAsync(maxBatchSize: 1, queueCapacity: 2);
        engine.Gate.Close();
        var running = engine.Queue.Submit(engine.Work(seed: 1, stepsPerGroup: 2));
        await engine.Gate.WaitForCallAsync();
        using var cancel = new CancellationTokenSource();
        var first = engine.Queue.Submit(engine.Work(seed: 2, stepsPerGroup: 2, token: cancel.Token));
        var second = engine.Queue.Submit(engine.Work(seed: 3, stepsPerGroup: 2, token: cancel.Token));
        Assert.False(engine.Queue.TrySubmit(engine.Work(seed: 4, stepsPerGroup: 2), out _));
        Assert.Equal(2, engine.Queue.PositionOf(second));

        await cancel.CancelAsync();

        // The worker is still held inside the running work's first call: nothing but the cancellation has happened.
        Assert.Equal(0, engine.Queue.Depth);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.FinalStates);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second.FinalStates);
        Assert.True(engine.Queue.TrySubmit(engine.Work(seed: 5, stepsPerGroup: 2), out var next));
        Assert.Equal(1, engine.Queue.PositionOf(next));
        engine.Gate.Open();
        await Task.WhenAll(running.FinalStates, next.FinalStates).WaitAsync(Patience);
    }
}
