using System.Diagnostics;
using Gdm.Api.Cluster;
using Gdm.Api.Engine;
using Gdm.Tests.Api.Support;
using StackExchange.Redis;

namespace Gdm.Tests.Api.Cluster;

/// <summary>The queue's primitives on a real redis-server: admission, claims, leases and their fencing, dead letters, cancellation, events.</summary>
public sealed class RedisJobQueueTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static readonly TimeSpan LongLease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ShortLease = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task A_submitted_job_is_claimed_once_with_attempt_1_and_its_record_names_the_worker()
    {
        var (queue, records) = await CreateAsync(LongLease);
        Assert.Equal(1, await SubmitAsync(queue, "a", "samples", "{\"n\":1}", 10));
        Assert.Equal(2, await SubmitAsync(queue, "b", "samples", "{\"n\":2}", 10));
        Assert.Equal(2, (await records.GetAsync("b"))!.Position);

        var leases = await queue.ClaimAsync("r1", 1);
        var lease = Assert.Single(leases);
        Assert.Equal(("a", 1L, "samples", "{\"n\":1}", false), (lease.JobId, lease.Attempt, lease.Kind, lease.Payload, lease.Reclaimed));
        Assert.Equal(LeaseState.Held, await queue.ReportAsync(lease, "r1", JobStatus.Running, 3, 10));

        var record = (await records.GetAsync("a"))!;
        Assert.Equal((JobStatus.Running, "r1", 3, 10, 0L), (record.Status, record.Worker, record.EvaluationsDone, record.EvaluationsTotal, record.Position));
        Assert.Equal(1, (await records.GetAsync("b"))!.Position);
        Assert.Equal(1, await queue.DepthAsync());
        Assert.Equal("b", Assert.Single(await queue.ClaimAsync("r2", 5)).JobId);
        Assert.Empty(await queue.ClaimAsync("r3", 5));
    }

    [Fact]
    public async Task A_full_cluster_queue_refuses_and_a_claim_frees_a_place()
    {
        var (queue, _) = await CreateAsync(LongLease);
        Assert.NotNull(await SubmitAsync(queue, "a", "samples", "{}", 2));
        Assert.NotNull(await SubmitAsync(queue, "b", "samples", "{}", 2));
        Assert.Null(await SubmitAsync(queue, "c", "samples", "{}", 2));

        Assert.Single(await queue.ClaimAsync("r1", 1));
        Assert.NotNull(await SubmitAsync(queue, "c", "samples", "{}", 2));
    }

    [Fact]
    public async Task A_lease_that_is_not_renewed_is_taken_over_and_the_stale_owners_writes_are_dropped()
    {
        var (queue, records) = await CreateAsync(ShortLease);
        await SubmitAsync(queue, "a", "samples", "{}", 10);
        var first = Assert.Single(await queue.ClaimAsync("dead", 1));

        var second = await ClaimWithinAsync(queue, "alive");
        Assert.Equal((first.JobId, 2L, true), (second.JobId, second.Attempt, second.Reclaimed));

        Assert.Equal(LeaseState.Lost, await queue.ReportAsync(first, "dead", JobStatus.Running, 5, 5));
        Assert.False(await queue.FinishAsync(first, JobStatus.Succeeded, "stale", null, 5, 5, TimeSpan.FromSeconds(1)));
        Assert.Equal([LeaseState.Lost], await queue.RenewAsync("dead", [first]));
        Assert.True(await queue.FinishAsync(second, JobStatus.Succeeded, "fresh", null, 5, 5, TimeSpan.FromSeconds(1)));

        var record = (await records.GetAsync("a"))!;
        Assert.Equal((JobStatus.Succeeded, "fresh", "alive", 2L), (record.Status, record.Result, record.Worker, record.Attempt));
        Assert.Equal(1, (await records.StatsAsync()).Reclaims);
        Assert.Equal(0, await redis.Connection.GetDatabase().StreamLengthAsync(queue.Keys.Stream));
    }

    [Fact]
    public async Task A_renewed_lease_is_not_taken_over()
    {
        var (queue, _) = await CreateAsync(LongLease);
        await SubmitAsync(queue, "a", "samples", "{}", 10);
        var lease = Assert.Single(await queue.ClaimAsync("r1", 1));

        Assert.Equal([LeaseState.Held], await queue.RenewAsync("r1", [lease]));
        Assert.Empty(await queue.ClaimAsync("r2", 5));
    }

    [Fact]
    public async Task A_job_whose_owners_die_MaxDeliveries_times_is_dead_lettered_as_failed()
    {
        var (queue, records) = await CreateAsync(ShortLease, maxDeliveries: 2);
        await SubmitAsync(queue, "a", "samples", "{}", 10);
        Assert.Single(await queue.ClaimAsync("r1", 1));
        await ClaimWithinAsync(queue, "r2");

        var deadline = Stopwatch.StartNew();
        ClusterJobRecord record;
        while (!(record = (await records.GetAsync("a"))!).IsFinished)
        {
            Assert.Empty(await queue.ClaimAsync("r3", 1));
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), "the job was never dead-lettered");
            await Task.Delay(50);
        }

        Assert.Equal((JobStatus.Failed, 500, "Dead-lettered"), (record.Status, record.Failure!.StatusCode, record.Failure.Title));
        Assert.Equal(1, (await records.StatsAsync()).DeadLetters);
        Assert.Equal(1, await redis.Connection.GetDatabase().StreamLengthAsync(queue.Keys.Dead));
        Assert.Equal("done", (await records.EventsAsync("a", null))[^1].Type);
    }

    [Fact]
    public async Task A_handed_back_job_is_claimable_at_once_and_the_hand_back_is_not_a_delivery()
    {
        var (queue, records) = await CreateAsync(LongLease, maxDeliveries: 1);
        await SubmitAsync(queue, "a", "samples", "{}", 10);
        var first = Assert.Single(await queue.ClaimAsync("draining", 1));
        Assert.True(await queue.HandBackAsync(first, "draining"));
        Assert.Equal((JobStatus.Queued, 1L), ((await records.GetAsync("a"))!.Status, (await records.GetAsync("a"))!.Position));

        var second = Assert.Single(await queue.ClaimAsync("peer", 1));
        Assert.Equal(2, second.Attempt);
        Assert.False(await queue.FinishAsync(first, JobStatus.Succeeded, "stale", null, 1, 1, TimeSpan.Zero));
        Assert.True(await queue.FinishAsync(second, JobStatus.Succeeded, "ok", null, 1, 1, TimeSpan.Zero));
        Assert.Equal(JobStatus.Succeeded, (await records.GetAsync("a"))!.Status);
    }

    [Fact]
    public async Task Cancelling_a_waiting_job_ends_it_at_once_and_frees_its_queue_place()
    {
        var (queue, records) = await CreateAsync(LongLease);
        await SubmitAsync(queue, "a", "samples", "{}", 1);
        Assert.Equal(CancelOutcome.Cancelled, await records.CancelAsync("a"));

        var record = (await records.GetAsync("a"))!;
        Assert.Equal((JobStatus.Cancelled, 409), (record.Status, record.Failure!.StatusCode));
        Assert.Equal(0, await queue.DepthAsync());
        Assert.NotNull(await SubmitAsync(queue, "b", "samples", "{}", 1));
        Assert.Equal("b", Assert.Single(await queue.ClaimAsync("r1", 5)).JobId);
        Assert.Equal((0L, 1L), ((await records.StatsAsync()).Lag, (await records.StatsAsync()).Pending));
        Assert.Equal(CancelOutcome.AlreadyFinished, await records.CancelAsync("a"));
        Assert.Equal(CancelOutcome.Missing, await records.CancelAsync("nope"));
    }

    [Fact]
    public async Task Cancelling_a_held_job_tells_its_owner_on_the_channel_and_in_its_next_write()
    {
        var (queue, records) = await CreateAsync(LongLease);
        var told = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscriber = redis.Connection.GetSubscriber();
        await subscriber.SubscribeAsync(queue.Keys.Cancel, (_, id) => told.TrySetResult(id.ToString()));
        try
        {
            await SubmitAsync(queue, "a", "samples", "{}", 10);
            var lease = Assert.Single(await queue.ClaimAsync("r1", 1));

            Assert.Equal(CancelOutcome.Requested, await records.CancelAsync("a"));
            Assert.Equal("a", await told.Task.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(LeaseState.CancelRequested, await queue.ReportAsync(lease, "r1", JobStatus.Running, 1, 4));
            Assert.Equal([LeaseState.CancelRequested], await queue.RenewAsync("r1", [lease]));
            Assert.True(await queue.FinishAsync(lease, JobStatus.Cancelled, null, new JobFailure(409, "Cancelled", "by DELETE"), 1, 4, TimeSpan.Zero));
            Assert.Equal(JobStatus.Cancelled, (await records.GetAsync("a"))!.Status);
        }
        finally
        {
            await subscriber.UnsubscribeAllAsync();
        }
    }

    [Fact]
    public async Task A_jobs_events_come_in_order_and_resume_after_a_given_event_id()
    {
        var (queue, records) = await CreateAsync(LongLease);
        await SubmitAsync(queue, "a", "samples", "{}", 10);
        var lease = Assert.Single(await queue.ClaimAsync("r1", 1));
        await queue.ReportAsync(lease, "r1", JobStatus.Running, 2, 6);
        await queue.ReportAsync(lease, "r1", JobStatus.Running, 4, 6);
        await queue.FinishAsync(lease, JobStatus.Succeeded, "{}", null, 6, 6, TimeSpan.FromSeconds(2));

        var all = await records.EventsAsync("a", null);
        Assert.Equal(["progress", "progress", "progress", "done"], all.Select(e => e.Type));
        Assert.Equal([0, 2, 4, 6], all.Select(e => e.EvaluationsDone));
        Assert.Equal(JobStatus.Queued, all[0].Status);
        Assert.Equal(1, all[0].Position);
        Assert.Equal(JobStatus.Succeeded, all[^1].Status);

        var rest = await records.EventsAsync("a", all[1].Id);
        Assert.Equal(all.Skip(2).Select(e => e.Id), rest.Select(e => e.Id));
        Assert.Empty(await records.EventsAsync("a", all[^1].Id));
    }

    [Fact]
    public async Task A_waiting_jobs_events_follow_its_position_as_the_queue_ahead_moves_both_ways()
    {
        var (queue, records) = await CreateAsync(LongLease);
        foreach (var id in new[] { "a", "b", "c" })
            await SubmitAsync(queue, id, "samples", "{}", 10);

        var claimed = Assert.Single(await queue.ClaimAsync("r1", 1)); // a leaves the queue: c is second
        Assert.Equal(CancelOutcome.Cancelled, await records.CancelAsync("b")); // b leaves: c is first
        Assert.True(await queue.HandBackAsync(claimed, "r1")); // a comes back in its place: c is second again

        Assert.Equal([3, 2, 1, 2], (await records.EventsAsync("c", null)).Select(e => e.Position));
        Assert.Equal(2, (await records.GetAsync("c"))!.Position);
    }

    [Fact]
    public async Task Jobs_past_their_retention_leave_the_indexes_without_anyone_listing_them()
    {
        var keys = new ClusterKeys(RedisFixture.NewPrefix());
        var queue = new RedisJobQueue(redis.Connection, keys, LongLease, 3, TimeSpan.FromSeconds(1), TimeProvider.System);
        await queue.EnsureGroupAsync();
        for (var i = 0; i < 20; i++)
        {
            await SubmitAsync(queue, $"old{i}", "samples", "{}", 100, owner: "alice");
            var lease = Assert.Single(await queue.ClaimAsync("r1", 1));
            Assert.True(await queue.FinishAsync(lease, JobStatus.Succeeded, "{}", null, 1, 1, TimeSpan.Zero));
        }

        // Redis forgets the finished jobs after their 1 s retention.
        var database = redis.Connection.GetDatabase();
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (await database.KeyExistsAsync(keys.Job("old19")))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "the finished jobs were never forgotten");
            await Task.Delay(50);
        }

        for (var i = 0; i < 3; i++)
            await SubmitAsync(queue, $"new{i}", "samples", "{}", 100, owner: "alice");

        Assert.Equal(3, await database.SortedSetLengthAsync(keys.Index));
        Assert.Equal(3, await database.SortedSetLengthAsync(keys.OwnerIndex("alice")));
    }

    [Fact]
    public async Task Replicas_and_consumers_long_silent_are_forgotten_while_the_live_ones_and_those_holding_jobs_stay()
    {
        var lease = TimeSpan.FromMilliseconds(50);
        var (queue, records) = await CreateAsync(lease);
        var database = redis.Connection.GetDatabase();
        var silent = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - (RedisJobRecords.ForgottenAfterLeases + 1) * (long)lease.TotalMilliseconds;
        await database.HashSetAsync(queue.Keys.Replicas, "ghost", $"3|{silent}");
        await records.AnnounceReplicaAsync("alive", 2);
        await SubmitAsync(queue, "a", "samples", "{}", 10);
        Assert.Single(await queue.ClaimAsync("busy", 1)); // holds a pending entry
        Assert.Empty(await queue.ClaimAsync("idle", 1));  // a consumer with nothing pending
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while ((await database.StreamConsumerInfoAsync(queue.Keys.Stream, ClusterKeys.Group)).Any(c => c.IdleTimeInMilliseconds <= RedisJobRecords.ForgottenAfterLeases * lease.TotalMilliseconds))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "the consumers never went idle");
            await Task.Delay(50);
        }

        await records.AnnounceReplicaAsync("alive", 2);
        var stats = await records.StatsAsync();
        await records.ForgetReplicasAsync(stats.DeadReplicas); // what the heartbeat does with them
        await queue.EnsureGroupAsync(); // what a replica does at start

        Assert.Equal(["alive"], stats.FreeSlotsByReplica.Keys);
        Assert.Equal(["ghost"], stats.DeadReplicas);
        Assert.Equal(["alive"], (await database.HashKeysAsync(queue.Keys.Replicas)).Select(k => k.ToString()));
        Assert.Equal(["busy"], (await database.StreamConsumerInfoAsync(queue.Keys.Stream, ClusterKeys.Group)).Select(c => c.Name.ToString()));
    }

    [Fact]
    public async Task Stats_count_waiting_unread_and_pending_jobs_and_live_replicas()
    {
        var (queue, records) = await CreateAsync(LongLease);
        foreach (var id in new[] { "a", "b", "c" })
            await SubmitAsync(queue, id, "samples", "{}", 10);
        var lease = Assert.Single(await queue.ClaimAsync("r1", 1));
        await records.AnnounceReplicaAsync("r1", 7);
        await queue.FinishAsync(lease, JobStatus.Succeeded, "{}", null, 1, 1, TimeSpan.FromSeconds(4));
        Assert.Single(await queue.ClaimAsync("r1", 1));

        var stats = await records.StatsAsync();
        Assert.Equal((1L, 1L, 1L, 4.0), (stats.Depth, stats.Lag, stats.Pending, stats.JobSeconds));
        Assert.Equal(7, stats.FreeSlotsByReplica["r1"]);
        Assert.Equal(TimeSpan.FromSeconds(4), stats.DrainEstimate);
        Assert.Equal(["c", "b", "a"], (await records.ListAsync(null, 0, 10)).Select(r => r.Id));
    }

    [Fact]
    public async Task A_key_past_its_share_of_unfinished_jobs_is_refused_until_one_of_them_finishes_and_lists_only_its_own()
    {
        var (queue, records) = await CreateAsync(LongLease);
        Assert.Equal((1L, SubmitRefusal.None), await queue.SubmitAsync("a", "samples", "{}", 10, "alice", 2));
        Assert.Equal((2L, SubmitRefusal.None), await queue.SubmitAsync("b", "samples", "{}", 10, "alice", 2));
        Assert.Equal(SubmitRefusal.ShareTaken, (await queue.SubmitAsync("c", "samples", "{}", 10, "alice", 2)).Refusal);
        Assert.Equal(SubmitRefusal.None, (await queue.SubmitAsync("d", "samples", "{}", 10, "bob", 2)).Refusal);
        Assert.Equal((2L, "alice"), (await queue.ActiveJobsAsync("alice"), (await records.GetAsync("a"))!.Owner));

        Assert.Equal(CancelOutcome.Cancelled, await records.CancelAsync("a"));
        Assert.Equal(1L, await queue.ActiveJobsAsync("alice"));
        Assert.Equal(SubmitRefusal.None, (await queue.SubmitAsync("c", "samples", "{}", 10, "alice", 2)).Refusal);
        Assert.Equal(["c", "b", "a"], (await records.ListAsync("alice", 0, 10)).Select(r => r.Id));
        Assert.Equal(["d"], (await records.ListAsync("bob", 0, 10)).Select(r => r.Id));
        Assert.Equal(4, (await records.ListAsync(null, 0, 10)).Count);
    }

    // Position, or null when refused (no owner: only the cluster's capacity counts).
    private static async Task<long?> SubmitAsync(RedisJobQueue queue, string id, string kind, string payload, int capacity, string? owner = null)
    {
        var (position, refusal) = await queue.SubmitAsync(id, kind, payload, capacity, owner, owner is null ? 1 : 100);
        return refusal == SubmitRefusal.None ? position : null;
    }

    private async Task<(RedisJobQueue Queue, RedisJobRecords Records)> CreateAsync(TimeSpan lease, int maxDeliveries = 3)
    {
        var keys = new ClusterKeys(RedisFixture.NewPrefix());
        var queue = new RedisJobQueue(redis.Connection, keys, lease, maxDeliveries, TimeSpan.FromMinutes(5), TimeProvider.System);
        await queue.EnsureGroupAsync();
        return (queue, new RedisJobRecords(redis.Connection, keys, lease, TimeSpan.FromMinutes(5), TimeProvider.System));
    }

    // Claims until the lease of a dead owner has run out and the job comes back; polls the observable state, with a deadline.
    private static async Task<JobLease> ClaimWithinAsync(RedisJobQueue queue, string consumer)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            if ((await queue.ClaimAsync(consumer, 1)).SingleOrDefault() is { } lease)
                return lease;
            await Task.Delay(50);
        }

        throw new TimeoutException("the expired lease was never taken over");
    }
}
