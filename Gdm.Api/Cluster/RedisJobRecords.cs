using System.Globalization;
using StackExchange.Redis;

namespace Gdm.Api.Cluster;

/// <summary>
/// What every replica reads and does to any job, whoever runs it: its state, the recent jobs, its events after a
/// given event id, a DELETE, and the queue's numbers. A DELETE of a job still waiting in the cluster queue cancels it
/// at once (and frees its queue place); one of a job a replica holds is flagged in its hash, which the owner's next
/// fenced write sees, and announced on the cancel channel, which the owner acts on before its next step.
/// </summary>
public sealed class RedisJobRecords(IConnectionMultiplexer redis, ClusterKeys keys, TimeSpan lease, TimeSpan retention, TimeProvider time)
{
    private const string CancelScript = ClusterScripts.Prelude + """
        -- KEYS: stream, queued; ARGV: prefix, group, id, now, retention, changed channel, cancel channel
        local job = ARGV[1] .. ARGV[3]
        local status = redis.call('HGET', job, 'status')
        if not status then return 0 end
        if final(status) then return 1 end
        redis.call('HSET', job, 'cancel', 1)
        if redis.call('ZSCORE', KEYS[2], ARGV[3]) then
          close(ARGV[1], KEYS[1], ARGV[2], KEYS[2], ARGV[6], ARGV[3], 'cancelled', '409', 'Cancelled', 'the job was cancelled by DELETE', ARGV[4], ARGV[5])
          return 2
        end
        redis.call('PUBLISH', ARGV[7], ARGV[3])
        return 3
        """;

    public ClusterKeys Keys => keys;

    public async Task<ClusterJobRecord?> GetAsync(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var database = redis.GetDatabase();
        var entries = database.HashGetAllAsync(keys.Job(id));
        var rank = database.SortedSetRankAsync(keys.Queued, id);
        return ClusterJobRecord.From(await entries, await rank);
    }

    /// <summary>
    /// Jobs newest first (every job, or one owner's), skipping `skip` of them; forgotten ones (past their retention)
    /// leave the index as they are met.
    /// </summary>
    public async Task<IReadOnlyList<ClusterJobRecord>> ListAsync(string? owner, int skip, int take)
    {
        var database = redis.GetDatabase();
        var index = owner is null ? keys.Index : keys.OwnerIndex(owner);
        var ids = await database.SortedSetRangeByRankAsync(index, skip, skip + take - 1, Order.Descending);
        var records = await Task.WhenAll(ids.Select(id => GetAsync(id.ToString())));
        var forgotten = ids.Where((_, i) => records[i] is null).ToArray();
        if (forgotten.Length > 0)
            await database.SortedSetRemoveAsync(index, forgotten);
        return records.OfType<ClusterJobRecord>().ToArray();
    }

    public async Task<CancelOutcome> CancelAsync(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var outcome = (long)await redis.GetDatabase().ScriptEvaluateAsync(CancelScript,
            [keys.Stream, keys.Queued],
            [keys.JobPrefix, ClusterKeys.Group, id, time.GetUtcNow().ToUnixTimeMilliseconds(), RetentionSeconds, keys.Changed.ToString(), keys.Cancel.ToString()]);
        return outcome switch
        {
            0 => CancelOutcome.Missing,
            1 => CancelOutcome.AlreadyFinished,
            2 => CancelOutcome.Cancelled,
            _ => CancelOutcome.Requested,
        };
    }

    /// <summary>The job's events after the event id `after` (all of them for null), oldest first.</summary>
    public async Task<IReadOnlyList<ClusterJobEvent>> EventsAsync(string id, string? after, int count = 200)
    {
        ArgumentNullException.ThrowIfNull(id);
        RedisValue from = after is null ? "-" : "(" + after;
        var entries = await redis.GetDatabase().StreamRangeAsync(keys.Events(id), from, "+", count);
        return entries.Select(ClusterJobEvent.From).ToArray();
    }

    /// <summary>Records this replica's free engine slots with the time, so peers count it as live.</summary>
    public Task AnnounceReplicaAsync(string replica, int freeSlots) =>
        redis.GetDatabase().HashSetAsync(keys.Replicas, replica,
            string.Create(CultureInfo.InvariantCulture, $"{freeSlots}|{time.GetUtcNow().ToUnixTimeMilliseconds()}"));

    /// <summary>Takes this replica out of the live list (a graceful exit).</summary>
    public Task RetireReplicaAsync(string replica) => redis.GetDatabase().HashDeleteAsync(keys.Replicas, replica);

    /// <summary>Takes replicas that died without retiring (kill -9, a lost node) out of the list (ClusterQueueStats.DeadReplicas).</summary>
    public Task ForgetReplicasAsync(IReadOnlyList<string> replicas) =>
        replicas.Count == 0 ? Task.CompletedTask : redis.GetDatabase().HashDeleteAsync(keys.Replicas, replicas.Select(r => (RedisValue)r).ToArray());

    public async Task<ClusterQueueStats> StatsAsync()
    {
        var database = redis.GetDatabase();
        var depth = database.SortedSetLengthAsync(keys.Queued);
        var stats = database.HashGetAllAsync(keys.Stats);
        var replicas = database.HashGetAllAsync(keys.Replicas);
        var groups = await database.StreamGroupInfoAsync(keys.Stream);
        var group = groups.FirstOrDefault(g => g.Name == ClusterKeys.Group);
        var counters = (await stats).ToDictionary(e => e.Name.ToString(), e => e.Value.ToString(), StringComparer.Ordinal);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var live = new Dictionary<string, int>(StringComparer.Ordinal);
        var dead = new List<string>();
        foreach (var entry in await replicas)
        {
            var parts = entry.Value.ToString().Split('|');
            var silentMilliseconds = parts.Length == 2 ? now - long.Parse(parts[1], CultureInfo.InvariantCulture) : long.MaxValue;
            if (silentMilliseconds <= 3 * lease.TotalMilliseconds)
                live[entry.Name.ToString()] = int.Parse(parts[0], CultureInfo.InvariantCulture);
            else if (silentMilliseconds > ForgottenAfterLeases * lease.TotalMilliseconds)
                dead.Add(entry.Name.ToString());
        }

        return new ClusterQueueStats(
            await depth,
            group.Lag ?? 0,
            group.PendingMessageCount,
            counters.TryGetValue("jobSeconds", out var seconds) ? double.Parse(seconds, CultureInfo.InvariantCulture) : null,
            live,
            counters.TryGetValue("reclaims", out var reclaims) ? long.Parse(reclaims, CultureInfo.InvariantCulture) : 0,
            counters.TryGetValue("deadLetters", out var letters) ? long.Parse(letters, CultureInfo.InvariantCulture) : 0,
            dead);
    }

    /// <summary>Leases of silence after which a replica or a stream consumer is taken for dead and forgotten.</summary>
    public const int ForgottenAfterLeases = 20;

    private long RetentionSeconds => Math.Max(1, (long)Math.Ceiling(retention.TotalSeconds));
}
