using System.ComponentModel.DataAnnotations;

namespace Gdm.Api.Options;

/// <summary>The batching engine: how many trajectories share one network call, and how much work may wait.</summary>
public sealed class EngineOptions
{
    public const string Section = "Engine";

    /// <summary>Trajectories evaluated together in one network call.</summary>
    [Range(1, 4096)]
    public int MaxBatchSize { get; set; } = 16;

    /// <summary>Admitted requests that may wait for the worker; one more is answered 429.</summary>
    [Range(1, 100_000)]
    public int QueueCapacityRequests { get; set; } = 64;

    /// <summary>Time a request may take from admission to its last image, queueing included.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan RequestDeadline { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Retry-After sent with 429 and 503 answers.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Finished images whose final coefficients are kept, so variations of them start from their prefix.</summary>
    [Range(0, 1_000_000)]
    public int RecentOutputCapacityImages { get; set; } = 256;
}
