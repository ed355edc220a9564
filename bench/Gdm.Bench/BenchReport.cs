namespace Gdm.Bench;

/// <summary>What `--json FILE` writes: the limit figures and the service's share of them, with the load they were taken under.</summary>
public sealed record BenchReport
{
    public required string Model { get; init; }

    public required string Processor { get; init; }

    public required int Threads { get; init; }

    public required string PeakInstructions { get; init; }

    /// <summary>fp32 GFLOP/s of an FMA loop on Threads threads.</summary>
    public required double PeakGflops { get; init; }

    /// <summary>Conv, Gemm and MatMul multiply-adds of one image through the network, counted from the ONNX graph.</summary>
    public required long MultiplyAddsPerEvaluation { get; init; }

    public required string FlopsLeftOut { get; init; }

    /// <summary>Network evaluations per image of Sampler on Grid (the model's defaults, which the bench's requests get).</summary>
    public required int EvaluationsPerImage { get; init; }

    public required string Sampler { get; init; }

    public required string Grid { get; init; }

    public required double LoadAverageAtStart { get; init; }

    public required double LoadAverageAtEnd { get; init; }

    /// <summary>True when the load average at the start exceeded Threads or another process took a noticeable share of the cores during a figure.</summary>
    public required bool Busy { get; init; }

    public required NetworkFigure Batch1 { get; init; }

    /// <summary>The service's network at MaxBatchSize: over Shards single-threaded sessions when Shards is above 1.</summary>
    public required NetworkFigure MaxBatch { get; init; }

    public required int Shards { get; init; }

    /// <summary>With Shards above 1: the one session on Threads threads at MaxBatchSize, measured in turn with MaxBatch.</summary>
    public required NetworkFigure? OneSessionMaxBatch { get; init; }

    /// <summary>With Shards above 1: one single-threaded session (one shard) at batch 1, measured in turn with Batch1.</summary>
    public required NetworkFigure? OneShardBatch1 { get; init; }

    /// <summary>With Shards above 1: one single-threaded session at MaxBatchSize, for how well the shards scale.</summary>
    public required NetworkFigure? OneShardMaxBatch { get; init; }

    /// <summary>A cache-line round trip between two threads, before the network figures (CacheRoundTrip).</summary>
    public required double CacheRoundTripNanoseconds { get; init; }

    /// <summary>What the round trip says: one L3 cache, different L3 caches, or one core.</summary>
    public required string Placement { get; init; }

    public required IReadOnlyList<ClientFigure> Clients { get; init; }
}

/// <summary>The service at one number of concurrent clients, against the network alone at the batch size it formed.</summary>
public sealed record ClientFigure(
    int Clients,
    double ImagesPerSecond,
    double MeanBatch,
    double RawImagesPerSecond,
    double ShareOfRaw,
    double NetworkBusy,
    double LatencyP50Milliseconds,
    double LatencyP95Milliseconds,
    double OtherCores);
