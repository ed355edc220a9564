using StackExchange.Redis;

namespace Gdm.Api.Cluster;

/// <summary>
/// The Redis keys and channels of one deployment, all under one prefix:
/// `{p}:jobs` the job stream (one entry per delivery-tracked job, consumer group `replicas`),
/// `{p}:queued` the jobs waiting for a first replica (sorted by submission, so ZRANK is the queue position),
/// `{p}:job:{id}` a job's state (hash), `{p}:job:{id}:events` its progress events (stream),
/// `{p}:index` every job by creation time, `{p}:dead` dead-lettered jobs, `{p}:stats` counters and the job-time
/// estimate, `{p}:replicas` each replica's free slots and last heartbeat, `{p}:owner:{key id}:jobs` an API key's jobs
/// by creation time and `{p}:owner:{key id}:active` its unfinished ones (its share); channels `{p}:work` (new work),
/// `{p}:changed` (a job's events moved) and `{p}:cancel` (a DELETE for the job's owner).
/// </summary>
public sealed class ClusterKeys(string prefix)
{
    public const string Group = "replicas";

    public string Prefix { get; } = prefix;

    public RedisKey Stream => $"{Prefix}:jobs";

    public RedisKey Queued => $"{Prefix}:queued";

    public RedisKey Index => $"{Prefix}:index";

    public RedisKey Dead => $"{Prefix}:dead";

    public RedisKey Stats => $"{Prefix}:stats";

    public RedisKey Replicas => $"{Prefix}:replicas";

    /// <summary>What job keys start with; the scripts append the id (and ":events").</summary>
    public string JobPrefix => $"{Prefix}:job:";

    public RedisKey Job(string id) => JobPrefix + id;

    public RedisKey Events(string id) => JobPrefix + id + ":events";

    public RedisKey OwnerIndex(string owner) => $"{Prefix}:owner:{owner}:jobs";

    public RedisKey OwnerActive(string owner) => $"{Prefix}:owner:{owner}:active";

    public RedisChannel Work => RedisChannel.Literal($"{Prefix}:work");

    public RedisChannel Changed => RedisChannel.Literal($"{Prefix}:changed");

    public RedisChannel Cancel => RedisChannel.Literal($"{Prefix}:cancel");
}
