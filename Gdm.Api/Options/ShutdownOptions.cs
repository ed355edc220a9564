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

    /// <summary>What the host adds for stopping everything after the drains (the engine, the server, the logs).</summary>
    public static readonly TimeSpan StopMargin = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the host may take to stop: the requests' DrainTime, then in cluster mode the running jobs'
    /// Cluster:DrainTimeout (the two run one after the other), and StopMargin. A container runtime must wait at least
    /// this long between SIGTERM and SIGKILL (terminationGracePeriodSeconds, stop_grace_period).
    /// </summary>
    public TimeSpan HostStopTimeout(ClusterOptions cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return DrainTime + (cluster.Enabled ? cluster.DrainTimeout : TimeSpan.Zero) + StopMargin;
    }

    /// <summary>Retry-After of the 503 that new work gets while the service stops (time for a restart or another replica).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);
}
