using System.ComponentModel.DataAnnotations;

namespace Gdm.Api.Options;

/// <summary>
/// Each API key's share of the service, in force while ApiKeys:Required is on (the shares are per key id): a rate and
/// a number of requests at once for the work endpoints (every POST under /v1, through ASP.NET Core's rate limiter),
/// and a number of unfinished jobs (counted by the job board, across the cluster in cluster mode). Past any of them
/// the answer is 429 with Retry-After, and other keys are not affected.
/// </summary>
public sealed class FairShareOptions
{
    public const string Section = "FairShare";

    /// <summary>Work requests a key may send per minute on average (a token bucket refilled one request at a time).</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerMinutePerKey { get; init; } = 120;

    /// <summary>Work requests a key may send at once after being idle (the bucket's size).</summary>
    [Range(1, 100_000)]
    public int BurstRequestsPerKey { get; init; } = 20;

    /// <summary>Synchronous work requests of one key in the service at once (waiting or running).</summary>
    [Range(1, 100_000)]
    public int ConcurrentRequestsPerKey { get; init; } = 8;

    /// <summary>Queued or running jobs of one key; its next POST /v1/jobs is 429 until one finishes.</summary>
    [Range(1, 100_000)]
    public int ActiveJobsPerKey { get; init; } = 16;
}
