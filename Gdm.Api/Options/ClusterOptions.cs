using System.ComponentModel.DataAnnotations;

namespace Gdm.Api.Options;

/// <summary>
/// Cluster mode: replicas share one job queue, job states and job events in Redis. Off (one process, everything in
/// memory) while Redis is empty.
/// </summary>
public sealed class ClusterOptions
{
    public const string Section = "Cluster";

    /// <summary>A StackExchange.Redis connection string ("redis:6379", "host:port,password=..."); empty = single process.</summary>
    public string Redis { get; set; } = "";

    /// <summary>This replica's name in job views, leases and metrics; empty = host name and process id.</summary>
    public string ReplicaName { get; set; } = "";

    /// <summary>Prefix of every Redis key the service writes, so several deployments can share one Redis.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9_.-]{1,64}$")]
    public string KeyPrefix { get; set; } = "gdm";

    /// <summary>
    /// How long a replica's claim on a job holds without a heartbeat (sent every third of it); after that a peer takes
    /// the job over and runs it again. Shorter means faster recovery from a dead replica and more Redis traffic.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.300", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Deliveries of one job (first run plus take-overs after a replica died) before it is dead-lettered as failed.</summary>
    [Range(1, 100)]
    public int MaxDeliveries { get; set; } = 3;

    /// <summary>
    /// On SIGTERM, how long running jobs may take to finish before their leases are handed back to the peers; the
    /// host's shutdown timeout and Kubernetes' terminationGracePeriodSeconds must exceed it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(20);

    public bool Enabled => !string.IsNullOrWhiteSpace(Redis);

    public string ResolvedReplicaName =>
        string.IsNullOrWhiteSpace(ReplicaName) ? $"{Environment.MachineName}-{Environment.ProcessId}" : ReplicaName;
}
