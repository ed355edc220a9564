using Gdm.Api.Engine;
using Gdm.Api.Inference;
using Gdm.Api.Options;
using Gdm.Core.Latents;
using Gdm.Core.Sampling;
using Gdm.Core.Schedules;
using Gdm.Tests.Api.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gdm.Tests.Api.Engine;

/// <summary>A queue, a running batching worker and a generator around the analytic model, without HTTP.</summary>
public sealed class EngineHarness : IAsyncDisposable
{
    private readonly BatchingWorker _worker;

    private EngineHarness(EngineOptions options, NetworkGate gate)
    {
        var wrapped = Microsoft.Extensions.Options.Options.Create(options);
        Gate = gate;
        Model = TestModels.Analytic(gate);
        Queue = new EngineQueue(wrapped);
        Recent = new RecentOutputs(wrapped);
        Generator = new ImageGenerator(Queue, Recent);
        _worker = new BatchingWorker(Queue, wrapped, NullLogger<BatchingWorker>.Instance);
    }

    public NetworkGate Gate { get; }

    public LoadedModel Model { get; }

    public EngineQueue Queue { get; }

    public RecentOutputs Recent { get; }

    public ImageGenerator Generator { get; }

    /// <summary>count images from consecutive seeds, Euler on equal steps per group.</summary>
    public TrajectoryWork Work(ulong seed, int stepsPerGroup, int count = 1, CancellationToken token = default)
    {
        var process = Model.Process;
        var grid = TimeGrid.Generation(process.Schedule, TimeGrid.EqualSteps(process.Grouping.Count, stepsPerGroup));
        var starts = Enumerable.Range(0, count)
            .Select(i => new TrajectoryStart(LatentRecipe.FromSeed(seed + (ulong)i, process.Grouping.Count).Realise(process.Grouping), grid, SamplerKind.Euler))
            .ToArray();
        return new TrajectoryWork(Model, starts, token);
    }

    public static async Task<EngineHarness> StartAsync(int maxBatchSize = 8, int queueCapacity = 16)
    {
        var harness = new EngineHarness(
            new EngineOptions { MaxBatchSize = maxBatchSize, QueueCapacityRequests = queueCapacity, RecentOutputCapacityImages = 64 },
            new NetworkGate());
        await harness._worker.StartAsync(CancellationToken.None);
        return harness;
    }

    public async ValueTask DisposeAsync()
    {
        Gate.Open();
        await _worker.StopAsync(CancellationToken.None);
        _worker.Dispose();
    }
}
