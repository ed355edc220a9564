using System.Text.Json;
using Gdm.Api.Engine;
using Gdm.Api.Jobs;
using Gdm.Api.Options;
using Gdm.Tests.Api.Engine;
using Microsoft.Extensions.Logging.Abstractions;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Gdm.Tests.Api.Jobs;

/// <summary>A waiting job's event stream follows its queue position as the work ahead of it leaves the queue.</summary>
public sealed class QueuedJobEventsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_queued_jobs_events_follow_its_queue_position_when_the_job_ahead_leaves()
    {
        await using var engine = await EngineHarness.StartAsync(maxBatchSize: 1);
        var store = new JobStore(MsOptions.Create(new JobOptions()), MsOptions.Create(new EngineOptions()), TimeProvider.System, NullLogger<JobStore>.Instance);
        var board = new InMemoryJobBoard(store, engine.Queue, MsOptions.Create(new EngineOptions()),
            MsOptions.Create(new ClusterOptions { ReplicaName = "r" }), MsOptions.Create(new FairShareOptions()));
        engine.Gate.Close();
        var running = engine.Queue.Submit(engine.Work(seed: 1, stepsPerGroup: 2));
        await engine.Gate.WaitForCallAsync();
        var ahead = await board.SubmitAsync(Submission(engine, seed: 2), CancellationToken.None);
        var behind = await board.SubmitAsync(Submission(engine, seed: 3), CancellationToken.None);
        await using var events = (await board.FollowAsync(behind.Accepted!.Id, null, null, CancellationToken.None))!.GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());
        var before = events.Current.Data.QueuePosition;

        await board.CancelAsync(ahead.Accepted!.Id, null, CancellationToken.None);
        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(Patience));
        var after = events.Current.Data.QueuePosition;
        engine.Gate.Open();
        await running.FinalStates.WaitAsync(Patience);

        Assert.Equal((2, 1), (before, after));
    }

    private static JobSubmission Submission(EngineHarness engine, ulong seed) => new("samples", JsonDocument.Parse("{}").RootElement, [],
        async (tracker, token) => new JobResult<int>((await engine.Generator.RunAsync(engine.Model, engine.Work(seed, 2).Trajectories, tracker, token)).Length),
        null);
}
