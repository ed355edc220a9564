namespace Gdm.Api.Cluster;

/// <summary>
/// The cluster's queue as the scaling signal and the 429 decision see it: jobs waiting for a first replica (Depth),
/// stream entries the group has not read yet (Lag), entries delivered and not yet finished (Pending), the smoothed
/// time of a finished job, the replicas that sent a heartbeat within three leases with their free engine slots, the
/// cluster's reclaim and dead-letter counts, and the replicas silent for so long (RedisJobRecords.ForgottenAfterLeases)
/// that they died without retiring.
/// </summary>
public sealed record ClusterQueueStats(
    long Depth,
    long Lag,
    long Pending,
    double? JobSeconds,
    IReadOnlyDictionary<string, int> FreeSlotsByReplica,
    long Reclaims,
    long DeadLetters,
    IReadOnlyList<string> DeadReplicas)
{
    /// <summary>
    /// Seconds until the waiting jobs are likely taken: each live replica finishes a job per JobSeconds, so the queue
    /// drains in Depth x JobSeconds / replicas; at least 1 s, and 1 s when nothing has finished yet to measure by.
    /// </summary>
    public TimeSpan DrainEstimate
    {
        get
        {
            var replicas = Math.Max(1, FreeSlotsByReplica.Count);
            var seconds = JobSeconds is { } perJob ? Depth * perJob / replicas : 1;
            return TimeSpan.FromSeconds(Math.Clamp(Math.Ceiling(seconds), 1, 3600));
        }
    }
}
