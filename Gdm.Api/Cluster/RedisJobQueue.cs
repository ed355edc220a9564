using System.Globalization;
using Gdm.Api.Engine;
using StackExchange.Redis;

namespace Gdm.Api.Cluster;

/// <summary>
/// The cluster's job queue on a Redis Stream with one consumer group. Submit admits a job (refused once the cluster's
/// queue holds capacity jobs, or its owner has share unfinished jobs); Claim takes over jobs whose lease ran out (XAUTOCLAIM: their replica died) and then
/// new ones (XREADGROUP), each with a new attempt number, dead-lettering a job past MaxDeliveries; the owner renews
/// its leases (XCLAIM JUSTID resets the entry's idle time without counting a delivery), reports progress and
/// finishes, each write fenced by its attempt; HandBack makes a lease claimable at once (a draining replica).
/// </summary>
public sealed class RedisJobQueue(IConnectionMultiplexer redis, ClusterKeys keys, TimeSpan lease, int maxDeliveries, TimeSpan retention, TimeProvider time)
{
    private const string SubmitScript = ClusterScripts.Prelude + """
        -- KEYS: stream, queued, index, stats; ARGV: prefix, id, kind, payload, now, capacity, changed channel, work channel,
        -- owner ('' for none), owner's index, owner's unfinished jobs, owner's share
        -- Jobs past their retention leave an index from its oldest end, a few at each submission, so an index stays
        -- about as long as the jobs still kept even when nobody lists the old pages.
        local function forget(prefix, index)
          for _, old in ipairs(redis.call('ZRANGE', index, 0, 7)) do
            if redis.call('EXISTS', prefix .. old) == 0 then redis.call('ZREM', index, old) end
          end
        end
        local owned = ARGV[9] ~= ''
        if owned and redis.call('SCARD', ARGV[11]) >= tonumber(ARGV[12]) then return -2 end
        if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[6]) then return -1 end
        local seq = redis.call('HINCRBY', KEYS[4], 'submitted', 1)
        local job = ARGV[1] .. ARGV[2]
        local entry = redis.call('XADD', KEYS[1], '*', 'job', ARGV[2])
        redis.call('HSET', job, 'id', ARGV[2], 'kind', ARGV[3], 'payload', ARGV[4], 'status', 'queued', 'createdAt', ARGV[5],
          'seq', seq, 'entry', entry, 'attempt', 0, 'handbacks', 0, 'done', 0, 'total', 0)
        redis.call('ZADD', KEYS[2], seq, ARGV[2])
        forget(ARGV[1], KEYS[3])
        redis.call('ZADD', KEYS[3], ARGV[5], ARGV[2])
        if owned then
          forget(ARGV[1], ARGV[10])
          redis.call('HSET', job, 'owner', ARGV[9], 'ownerActive', ARGV[11])
          redis.call('SADD', ARGV[11], ARGV[2])
          redis.call('ZADD', ARGV[10], ARGV[5], ARGV[2])
        end
        event(ARGV[1], KEYS[2], ARGV[7], ARGV[2], 'progress')
        redis.call('PUBLISH', ARGV[8], ARGV[2])
        return redis.call('ZRANK', KEYS[2], ARGV[2]) + 1
        """;

    private const string ClaimScript = ClusterScripts.Prelude + """
        -- KEYS: stream, queued, dead, stats; ARGV: prefix, group, consumer, count, minIdleMs, maxDeliveries, now, retention, changed channel
        local leases = {}
        local dead = 0
        local count = tonumber(ARGV[4])
        local function take(entry, fields, stale)
          local id = fields[2]
          local job = ARGV[1] .. id
          local status = redis.call('HGET', job, 'status')
          if (not status) or final(status) then
            redis.call('XACK', KEYS[1], ARGV[2], entry)
            redis.call('XDEL', KEYS[1], entry)
            return
          end
          if redis.call('HGET', job, 'cancel') == '1' then
            close(ARGV[1], KEYS[1], ARGV[2], KEYS[2], ARGV[9], id, 'cancelled', '409', 'Cancelled', 'the job was cancelled by DELETE', ARGV[7], ARGV[8])
            return
          end
          local attempt = redis.call('HINCRBY', job, 'attempt', 1)
          local deliveries = attempt - tonumber(redis.call('HGET', job, 'handbacks') or '0')
          if deliveries > tonumber(ARGV[6]) then
            close(ARGV[1], KEYS[1], ARGV[2], KEYS[2], ARGV[9], id, 'failed', '500', 'Dead-lettered',
              'the job was delivered ' .. (deliveries - 1) .. ' times and never finished (its replicas stopped while running it); its recipe is deterministic, so resubmitting it makes the same images', ARGV[7], ARGV[8])
            redis.call('XADD', KEYS[3], 'MAXLEN', '~', 10000, '*', 'job', id, 'deliveries', deliveries - 1)
            redis.call('HINCRBY', KEYS[4], 'deadLetters', 1)
            dead = dead + 1
            return
          end
          local rank = redis.call('ZRANK', KEYS[2], id)
          redis.call('ZREM', KEYS[2], id)
          if rank then behind(ARGV[1], KEYS[2], ARGV[9], rank) end
          redis.call('HSET', job, 'status', 'queued', 'worker', ARGV[3], 'done', 0, 'total', 0)
          if stale then redis.call('HINCRBY', KEYS[4], 'reclaims', 1) end
          local h = redis.call('HMGET', job, 'kind', 'payload')
          leases[#leases + 1] = { id, entry, attempt, h[1], h[2], stale and 1 or 0 }
        end
        local stale = redis.call('XAUTOCLAIM', KEYS[1], ARGV[2], ARGV[3], ARGV[5], '0-0', 'COUNT', count)
        for _, e in ipairs(stale[2]) do
          if #leases < count then take(e[1], e[2], true) end
        end
        if #leases < count then
          local fresh = redis.call('XREADGROUP', 'GROUP', ARGV[2], ARGV[3], 'COUNT', count - #leases, 'STREAMS', KEYS[1], '>')
          if fresh then
            for _, e in ipairs(fresh[1][2]) do take(e[1], e[2], false) end
          end
        end
        return { leases, dead }
        """;

    private const string ReportScript = ClusterScripts.Prelude + """
        -- KEYS: queued; ARGV: prefix, id, attempt, status, done, total, worker, changed channel
        local job = ARGV[1] .. ARGV[2]
        local h = redis.call('HMGET', job, 'attempt', 'status', 'cancel')
        if h[1] ~= ARGV[3] or (not h[2]) or final(h[2]) then return -1 end
        redis.call('HSET', job, 'status', ARGV[4], 'done', ARGV[5], 'total', ARGV[6], 'worker', ARGV[7])
        event(ARGV[1], KEYS[1], ARGV[8], ARGV[2], 'progress')
        if h[3] == '1' then return 1 end
        return 0
        """;

    private const string FinishScript = ClusterScripts.Prelude + """
        -- KEYS: stream, queued, stats; ARGV: prefix, group, id, attempt, status, result, code, title, detail, now, retention, done, total, seconds, changed channel
        local job = ARGV[1] .. ARGV[3]
        local h = redis.call('HMGET', job, 'attempt', 'status')
        if h[1] ~= ARGV[4] or (not h[2]) or final(h[2]) then return 0 end
        redis.call('HSET', job, 'done', ARGV[12], 'total', ARGV[13])
        if ARGV[6] ~= '' then redis.call('HSET', job, 'result', ARGV[6]) end
        close(ARGV[1], KEYS[1], ARGV[2], KEYS[2], ARGV[15], ARGV[3], ARGV[5], ARGV[7], ARGV[8], ARGV[9], ARGV[10], ARGV[11])
        if ARGV[5] == 'succeeded' then
          local seconds = tonumber(ARGV[14])
          local old = tonumber(redis.call('HGET', KEYS[3], 'jobSeconds') or '')
          if old then seconds = 0.8 * old + 0.2 * seconds end
          redis.call('HSET', KEYS[3], 'jobSeconds', tostring(seconds))
        end
        return 1
        """;

    private const string RenewScript = """
        -- KEYS: stream; ARGV: prefix, group, consumer, then (id, entry, attempt) triples; answers one state per lease
        local states = {}
        for i = 4, #ARGV, 3 do
          local h = redis.call('HMGET', ARGV[1] .. ARGV[i], 'attempt', 'status', 'cancel')
          local status = h[2]
          if h[1] ~= ARGV[i + 2] or (not status) or status == 'succeeded' or status == 'failed' or status == 'cancelled' then
            states[#states + 1] = -1
          else
            redis.call('XCLAIM', KEYS[1], ARGV[2], ARGV[3], 0, ARGV[i + 1], 'JUSTID')
            states[#states + 1] = (h[3] == '1') and 1 or 0
          end
        end
        return states
        """;

    private const string HandBackScript = ClusterScripts.Prelude + """
        -- KEYS: stream, queued; ARGV: prefix, group, consumer, id, attempt, idleMs, changed channel, work channel
        local job = ARGV[1] .. ARGV[4]
        local h = redis.call('HMGET', job, 'attempt', 'status', 'entry', 'seq')
        if h[1] ~= ARGV[5] or (not h[2]) or final(h[2]) then return 0 end
        redis.call('HINCRBY', job, 'handbacks', 1)
        redis.call('HSET', job, 'status', 'queued', 'done', 0, 'total', 0)
        redis.call('HDEL', job, 'worker')
        redis.call('ZADD', KEYS[2], h[4], ARGV[4])
        redis.call('XCLAIM', KEYS[1], ARGV[2], ARGV[3], 0, h[3], 'IDLE', ARGV[6], 'JUSTID')
        -- Back in its place by its submission order: it and every job behind it get their positions.
        behind(ARGV[1], KEYS[2], ARGV[7], redis.call('ZRANK', KEYS[2], ARGV[4]))
        redis.call('PUBLISH', ARGV[8], ARGV[4])
        return 1
        """;

    public ClusterKeys Keys => keys;

    public TimeSpan Lease => lease;

    /// <summary>Creates the stream and its consumer group when missing, and forgets dead consumers (every replica does this at start).</summary>
    public async Task EnsureGroupAsync()
    {
        try
        {
            await Database.StreamCreateConsumerGroupAsync(keys.Stream, ClusterKeys.Group, StreamPosition.Beginning, createStream: true);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
        }

        // Each replica start is a new consumer of the group (the default name holds the process id): consumers of
        // replicas long gone that hold no pending entry are deleted, so the group does not grow with every restart.
        foreach (var consumer in await Database.StreamConsumerInfoAsync(keys.Stream, ClusterKeys.Group))
            if (consumer.PendingMessageCount == 0 && consumer.IdleTimeInMilliseconds > RedisJobRecords.ForgottenAfterLeases * lease.TotalMilliseconds)
                await Database.StreamDeleteConsumerAsync(keys.Stream, ClusterKeys.Group, consumer.Name);
    }

    /// <summary>
    /// Admits a job of this owner (a key id, or null); its queue position (1 = next), or why not: the cluster's queue
    /// already holds capacity jobs, or the owner has share unfinished ones.
    /// </summary>
    public async Task<(long Position, SubmitRefusal Refusal)> SubmitAsync(string id, string kind, string payload, int capacity, string? owner, int share)
    {
        var position = (long)await Database.ScriptEvaluateAsync(SubmitScript,
            [keys.Stream, keys.Queued, keys.Index, keys.Stats],
            [
                keys.JobPrefix, id, kind, payload, Now(), capacity, keys.Changed.ToString(), keys.Work.ToString(),
                owner ?? "", owner is null ? "" : keys.OwnerIndex(owner).ToString(), owner is null ? "" : keys.OwnerActive(owner).ToString(), share,
            ]);
        return position switch
        {
            -1 => (0, SubmitRefusal.QueueFull),
            -2 => (0, SubmitRefusal.ShareTaken),
            _ => (position, SubmitRefusal.None),
        };
    }

    /// <summary>The unfinished jobs of an owner across the cluster (its share in use).</summary>
    public async Task<long> ActiveJobsAsync(string owner) => await Database.SetLengthAsync(keys.OwnerActive(owner));

    /// <summary>Up to count jobs for this consumer: take-overs of expired leases first, then jobs nobody took yet.</summary>
    public async Task<IReadOnlyList<JobLease>> ClaimAsync(string consumer, int count)
    {
        if (count <= 0)
            return [];
        var answer = (RedisResult[])(await Database.ScriptEvaluateAsync(ClaimScript,
            [keys.Stream, keys.Queued, keys.Dead, keys.Stats],
            [keys.JobPrefix, ClusterKeys.Group, consumer, count, (long)lease.TotalMilliseconds, maxDeliveries, Now(), RetentionSeconds, keys.Changed.ToString()]))!;
        var leases = ((RedisResult[])answer[0]!).Select(r =>
        {
            var fields = (RedisResult[])r!;
            return new JobLease((string)fields[0]!, (string)fields[1]!, (long)fields[2], (string)fields[3]!, (string)fields[4]!, (long)fields[5] == 1);
        }).ToArray();
        ClusterMetrics.Reclaims.Inc(leases.Count(l => l.Reclaimed));
        ClusterMetrics.DeadLetters.Inc((long)answer[1]);
        return leases;
    }

    /// <summary>Extends the leases; one state per lease (Lost: a peer took the job over, or it finished elsewhere).</summary>
    public async Task<IReadOnlyList<LeaseState>> RenewAsync(string consumer, IReadOnlyList<JobLease> leases)
    {
        ArgumentNullException.ThrowIfNull(leases);
        if (leases.Count == 0)
            return [];
        var arguments = new List<RedisValue> { keys.JobPrefix, ClusterKeys.Group, consumer };
        foreach (var held in leases)
        {
            arguments.Add(held.JobId);
            arguments.Add(held.EntryId);
            arguments.Add(held.Attempt);
        }

        var states = (RedisResult[])(await Database.ScriptEvaluateAsync(RenewScript, [keys.Stream], arguments.ToArray()))!;
        return states.Select(s => State((long)s)).ToArray();
    }

    /// <summary>The owner's progress: status queued (in its engine's queue) or running, evaluations done and known.</summary>
    public async Task<LeaseState> ReportAsync(JobLease held, string consumer, JobStatus status, int done, int total)
    {
        ArgumentNullException.ThrowIfNull(held);
        var state = (long)await Database.ScriptEvaluateAsync(ReportScript,
            [keys.Queued],
            [keys.JobPrefix, held.JobId, held.Attempt, Name(status), done, total, consumer, keys.Changed.ToString()]);
        return State(state);
    }

    /// <summary>The owner's final write; false when the lease was lost (a later attempt owns the job, or it already finished).</summary>
    public async Task<bool> FinishAsync(JobLease held, JobStatus status, string? result, JobFailure? failure, int done, int total, TimeSpan took)
    {
        ArgumentNullException.ThrowIfNull(held);
        var written = (long)await Database.ScriptEvaluateAsync(FinishScript,
            [keys.Stream, keys.Queued, keys.Stats],
            [
                keys.JobPrefix, ClusterKeys.Group, held.JobId, held.Attempt, Name(status), result ?? "",
                failure is null ? "" : failure.StatusCode, failure?.Title ?? "", failure?.Detail ?? "",
                Now(), RetentionSeconds, done, total, took.TotalSeconds.ToString("R", CultureInfo.InvariantCulture), keys.Changed.ToString(),
            ]);
        return written == 1;
    }

    /// <summary>Gives a held job back to the cluster queue, claimable by any replica at once; false when the lease was already lost.</summary>
    public async Task<bool> HandBackAsync(JobLease held, string consumer)
    {
        ArgumentNullException.ThrowIfNull(held);
        var written = (long)await Database.ScriptEvaluateAsync(HandBackScript,
            [keys.Stream, keys.Queued],
            [keys.JobPrefix, ClusterKeys.Group, consumer, held.JobId, held.Attempt, (long)lease.TotalMilliseconds * 2, keys.Changed.ToString(), keys.Work.ToString()]);
        return written == 1;
    }

    /// <summary>Jobs waiting for a first replica across the cluster (the global 429 decision and the scaling signal).</summary>
    public async Task<long> DepthAsync() => await Database.SortedSetLengthAsync(keys.Queued);

    private IDatabase Database => redis.GetDatabase();

    private long RetentionSeconds => Math.Max(1, (long)Math.Ceiling(retention.TotalSeconds));

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    internal static string Name(JobStatus status) => status.ToString().ToLowerInvariant();

    private static LeaseState State(long value) => value switch
    {
        < 0 => LeaseState.Lost,
        1 => LeaseState.CancelRequested,
        _ => LeaseState.Held,
    };
}
