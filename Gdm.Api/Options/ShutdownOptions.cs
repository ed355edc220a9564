using System.ComponentModel.DataAnnotations;

namespace Gdm.Api.Options;

/// <summary>What SIGTERM does: readiness and new work answer 503 at once, requests in flight get DrainTime to finish.</summary>
public sealed class ShutdownOptions
{
    public const string Section = "Shutdown";

    /// <summary>
    /// Time the synchronous requests in flight get to finish; those still running then are answered 503. Under the
    /// 30 s a container runtime usually waits between SIGTERM and SIGKILL.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan DrainTime { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Retry-After of the 503 that new work gets while the service stops (time for a restart or another replica).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);
}
