using Prometheus;

namespace Gdm.Api.Cluster;

/// <summary>
/// The cluster's Prometheus series. The queue series are the same on every replica (read from Redis), so scale on
/// their max; free slots are this replica's own (labelled with its name); the counters count what this replica did.
/// </summary>
public static class ClusterMetrics
{
    public static readonly Gauge QueueDepth = Metrics.CreateGauge(
        "gdm_cluster_queue_depth_jobs", "Jobs waiting in the cluster queue for a first replica (the 429 decision).");

    public static readonly Gauge QueueLag = Metrics.CreateGauge(
        "gdm_cluster_queue_lag_entries", "Entries of the job stream that the replicas' consumer group has not read yet.");

    public static readonly Gauge Pending = Metrics.CreateGauge(
        "gdm_cluster_pending_jobs", "Jobs delivered to a replica and not finished yet (running, or leased by a replica that died).");

    public static readonly Gauge LiveReplicas = Metrics.CreateGauge(
        "gdm_cluster_live_replicas", "Replicas whose heartbeat is younger than three leases.");

    public static readonly Gauge FreeSlots = Metrics.CreateGauge(
        "gdm_cluster_free_slots", "Trajectory slots this replica's batching engine has free for jobs from the cluster queue.",
        new GaugeConfiguration { LabelNames = ["replica"] });

    public static readonly Counter Reclaims = Metrics.CreateCounter(
        "gdm_cluster_reclaims_total", "Jobs this replica took over after their lease ran out (their replica died).");

    public static readonly Counter DeadLetters = Metrics.CreateCounter(
        "gdm_cluster_dead_letters_total", "Jobs this replica dead-lettered as failed after too many deliveries.");

    public static readonly Counter HandBacks = Metrics.CreateCounter(
        "gdm_cluster_hand_backs_total", "Jobs this replica gave back to the cluster queue while draining.");

    public static readonly Counter StaleWrites = Metrics.CreateCounter(
        "gdm_cluster_stale_writes_total", "Progress or completions of this replica dropped because a later attempt owns the job.");
}
