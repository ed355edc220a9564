using Prometheus;

namespace Gdm.Api.Engine;

/// <summary>The engine's Prometheus series (default registry, served at /metrics).</summary>
public static class EngineMetrics
{
    public static readonly Gauge QueueDepth = Metrics.CreateGauge(
        "gdm_queue_depth_requests", "Admitted requests waiting for the batching worker.");

    public static readonly Gauge ActiveTrajectories = Metrics.CreateGauge(
        "gdm_active_trajectories", "Trajectories currently in the running batch.");

    public static readonly Histogram BatchSize = Metrics.CreateHistogram(
        "gdm_batch_size_trajectories", "Trajectories evaluated together in one network call.",
        new HistogramConfiguration { Buckets = [1, 2, 4, 8, 16, 32, 64, 128, 256] });

    public static readonly Histogram StepSeconds = Metrics.CreateHistogram(
        "gdm_step_duration_seconds", "Wall time of one batched network evaluation and sampler step.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16) });

    public static readonly Counter Requests = Metrics.CreateCounter(
        "gdm_requests_total", "API requests by endpoint and outcome.",
        new CounterConfiguration { LabelNames = ["endpoint", "outcome"] });
}
