using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Gdm.Api.Endpoints;
using Gdm.Api.Endpoints.Operations;
using Gdm.Api.Engine;
using Gdm.Api.Inference;
using Gdm.Api.Jobs;
using Gdm.Api.Options;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gdm.Api.Cluster;

/// <summary>
/// This replica's side of the cluster queue (idle without Cluster:Redis). It takes as many jobs as its batching engine
/// has free trajectory slots, plans each from its stored request and runs it as a local job, writing its progress and
/// result to Redis under the lease's attempt number; every third of a lease it renews its leases, announces its free
/// slots and refreshes the cluster metrics. A DELETE reaches it on the cancel channel (or in the answer to its next
/// write) and stops the job before its next step. On shutdown it stops taking jobs, lets running ones finish for
/// Cluster:DrainTimeout, then hands the rest back so peers take them at once. A job that fails for any reason but its
/// own request while this replica is stopping (the engine stopping under it, a deadline cut short) is handed back too,
/// never written as failed: a peer runs it again and, recipes being deterministic, gives the same bytes.
/// </summary>
public sealed class ClusterWorker(
    IServiceProvider services,
    EngineQueue engine,
    JobStore jobs,
    ModelCatalog catalog,
    UploadReader uploads,
    IOptions<ClusterOptions> clusterOptions,
    IOptions<EngineOptions> engineOptions,
    IHostApplicationLifetime lifetime,
    ILogger<ClusterWorker> logger) : BackgroundService
{
    private readonly ClusterOptions _options = clusterOptions.Value;
    private readonly string _replica = clusterOptions.Value.ResolvedReplicaName;
    private readonly ConcurrentDictionary<string, RunningLease> _running = new(StringComparer.Ordinal);
    private int _starting;

    /// <summary>Trajectory slots of the engine not taken by admitted work nor by jobs this replica is still planning.</summary>
    public int FreeSlots => Math.Max(0, engineOptions.Value.MaxBatchSize - engine.OutstandingTrajectories - Volatile.Read(ref _starting));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
            return;
        await Task.Yield();
        var queue = services.GetRequiredService<RedisJobQueue>();
        var records = services.GetRequiredService<RedisJobRecords>();
        var signals = services.GetRequiredService<ClusterSignals>();
        var beat = _options.LeaseDuration / 3;
        signals.CancelRequested += OnCancelRequested;
        try
        {
            await ConnectAsync(queue, signals, stoppingToken);
            logger.LogInformation("Replica {Replica} takes jobs from the cluster queue {Stream}", _replica, queue.Keys.Stream.ToString());
            Stopwatch? lastBeat = null; // none yet: the first round beats
            while (!stoppingToken.IsCancellationRequested)
            {
                var work = signals.Work.Next;
                var ended = engine.WorkEnded.Next;
                try
                {
                    if (lastBeat is null || lastBeat.Elapsed >= beat)
                    {
                        lastBeat = Stopwatch.StartNew();
                        await HeartbeatAsync(queue, records);
                    }

                    if (catalog.IsReady && FreeSlots is var free and > 0)
                        foreach (var lease in await queue.ClaimAsync(_replica, free))
                            Start(queue, lease);
                }
                catch (Exception e) when (RedisOutage.Is(e))
                {
                    logger.LogWarning(e, "Replica {Replica} could not reach Redis; it tries again", _replica);
                }

                await WaitAsync(Task.WhenAny(work, ended), beat, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            signals.CancelRequested -= OnCancelRequested;
        }

        await DrainAsync(queue, records);
    }

    private async Task ConnectAsync(RedisJobQueue queue, ClusterSignals signals, CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await queue.EnsureGroupAsync();
                await signals.SubscribeAsync(services.GetRequiredService<IConnectionMultiplexer>(), queue.Keys);
                return;
            }
            catch (Exception e) when (RedisOutage.Is(e))
            {
                logger.LogWarning(e, "Replica {Replica} cannot reach Redis yet ({Redis}); it tries again", _replica, _options.Redis);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    private void Start(RedisJobQueue queue, JobLease lease)
    {
        Interlocked.Increment(ref _starting);
        var running = new RunningLease(lease);
        _running[lease.JobId] = running;
        if (lease.Reclaimed)
            logger.LogInformation("Replica {Replica} took over job {JobId} (attempt {Attempt}): its lease had run out", _replica, lease.JobId, lease.Attempt);
        running.Run = RunAsync(queue, running);
    }

    private async Task RunAsync(RedisJobQueue queue, RunningLease running)
    {
        var lease = running.Lease;
        var started = Stopwatch.StartNew();
        try
        {
            var payload = JobPayload.FromJson(lease.Payload);
            var context = new ImageServices(catalog, services.GetRequiredService<ImageGenerator>(), uploads, services.GetRequiredService<IJobBoard>(),
                engine, services.GetRequiredService<OperationCatalog>(), services.GetRequiredService<IOptions<RequestLimitOptions>>(), engineOptions);
            var (_, run, problem) = await JobEndpoints.PlanJobAsync(payload.Request, "body", uploads.ForStored(payload.Files), context, CancellationToken.None);
            if (problem is not null)
            {
                var details = problem.ProblemDetails;
                await queue.FinishAsync(lease, JobStatus.Failed, null,
                    new JobFailure(details.Status ?? StatusCodes.Status400BadRequest, details.Title ?? "Invalid job", details.Detail ?? ""), 0, 0, started.Elapsed);
                return;
            }

            var job = jobs.Start(lease.Kind, run!);
            running.Job = job;
            if (running.StopReason is not null)
                jobs.TryCancel(job);
            await PumpAsync(queue, running, job);

            var snapshot = job.Snapshot();
            jobs.Forget(job);
            var failedByStopping = lifetime.ApplicationStopping.IsCancellationRequested && snapshot.Status != JobStatus.Succeeded
                && running.StopReason != StopReason.Cancelled && snapshot.Failure is not { StatusCode: StatusCodes.Status400BadRequest };
            if (failedByStopping && running.StopReason != StopReason.HandBack)
                logger.LogWarning("Replica {Replica} is stopping and job {JobId} ended {Status} ({Failure}): it is handed back, not failed",
                    _replica, lease.JobId, snapshot.Status, snapshot.Failure?.Detail);
            if (running.StopReason == StopReason.HandBack || failedByStopping || snapshot.Failure is { StatusCode: StatusCodes.Status429TooManyRequests })
            {
                // Draining or stopping, or this replica's engine queue filled with waiting clients meanwhile: a peer takes it at once.
                if (await queue.HandBackAsync(lease, _replica))
                    ClusterMetrics.HandBacks.Inc();
                return;
            }

            if (running.StopReason == StopReason.Lost)
            {
                ClusterMetrics.StaleWrites.Inc();
                return;
            }

            var result = snapshot.Status == JobStatus.Succeeded && snapshot.Result is { } value ? JobViews.ResultToJson(value) : null;
            if (!await queue.FinishAsync(lease, snapshot.Status, result, snapshot.Failure, snapshot.EvaluationsDone, snapshot.EvaluationsTotal, started.Elapsed))
                ClusterMetrics.StaleWrites.Inc();
        }
        catch (Exception e) when (RedisOutage.Is(e) || e is JsonException)
        {
            logger.LogError(e, "Replica {Replica} could not run job {JobId}; its lease runs out and a peer takes it over", _replica, lease.JobId);
        }
        finally
        {
            _running.TryRemove(KeyValuePair.Create(lease.JobId, running));
            running.MarkSubmitted(ref _starting);
        }
    }

    // Writes the job's progress whenever it moves (coalesced: one write in flight at a time) until the job ends.
    private async Task PumpAsync(RedisJobQueue queue, RunningLease running, Job job)
    {
        (JobStatus, int, int)? last = null;
        while (true)
        {
            var changed = job.Progress.Changed.Next;
            var (done, total, ticket) = job.Progress.Read();
            if (ticket is not null)
                running.MarkSubmitted(ref _starting);
            if (job.Completion.IsCompleted)
                return;
            var now = (job.Progress.Started ? JobStatus.Running : JobStatus.Queued, done, total);
            if (now != last && running.StopReason is null)
            {
                last = now;
                try
                {
                    switch (await queue.ReportAsync(running.Lease, _replica, now.Item1, done, total))
                    {
                        case LeaseState.CancelRequested:
                            Stop(running, StopReason.Cancelled);
                            break;
                        case LeaseState.Lost:
                            Stop(running, StopReason.Lost);
                            break;
                    }
                }
                catch (Exception e) when (RedisOutage.Is(e))
                {
                    logger.LogWarning(e, "Replica {Replica} could not write the progress of job {JobId}", _replica, running.Lease.JobId);
                }
            }

            await Task.WhenAny(changed, job.Completion);
        }
    }

    private async Task HeartbeatAsync(RedisJobQueue queue, RedisJobRecords records)
    {
        var held = _running.Values.ToArray();
        var states = await queue.RenewAsync(_replica, held.Select(r => r.Lease).ToArray());
        for (var i = 0; i < held.Length; i++)
        {
            if (states[i] == LeaseState.CancelRequested)
                Stop(held[i], StopReason.Cancelled);
            else if (states[i] == LeaseState.Lost)
                Stop(held[i], StopReason.Lost);
        }

        var free = FreeSlots;
        await records.AnnounceReplicaAsync(_replica, free);
        var stats = await records.StatsAsync();
        await records.ForgetReplicasAsync(stats.DeadReplicas);
        ClusterMetrics.QueueDepth.Set(stats.Depth);
        ClusterMetrics.QueueLag.Set(stats.Lag);
        ClusterMetrics.Pending.Set(stats.Pending);
        ClusterMetrics.LiveReplicas.Set(stats.FreeSlotsByReplica.Count);
        ClusterMetrics.FreeSlots.WithLabels(_replica).Set(free);
    }

    // Running jobs get DrainTimeout to finish (their leases renewed meanwhile); the rest are handed back to the peers.
    private async Task DrainAsync(RedisJobQueue queue, RedisJobRecords records)
    {
        var drain = Stopwatch.StartNew();
        if (!_running.IsEmpty)
            logger.LogInformation("Replica {Replica} drains: {Jobs} running jobs get {Seconds} s to finish", _replica, _running.Count, _options.DrainTimeout.TotalSeconds);
        while (!_running.IsEmpty && drain.Elapsed < _options.DrainTimeout)
        {
            try
            {
                await HeartbeatAsync(queue, records);
            }
            catch (Exception e) when (RedisOutage.Is(e))
            {
                logger.LogWarning(e, "Replica {Replica} could not renew its leases while draining", _replica);
            }

            var left = _options.DrainTimeout - drain.Elapsed;
            await WaitAsync(Task.WhenAll(_running.Values.Select(r => r.Run)), left < _options.LeaseDuration / 3 ? left : _options.LeaseDuration / 3, CancellationToken.None);
        }

        var handedBack = _running.Values.ToArray();
        foreach (var running in handedBack)
            Stop(running, StopReason.HandBack);
        await Task.WhenAll(handedBack.Select(r => r.Run));
        if (handedBack.Length > 0)
            logger.LogInformation("Replica {Replica} handed back {Jobs} jobs to the cluster queue", _replica, handedBack.Length);
        try
        {
            await records.RetireReplicaAsync(_replica);
        }
        catch (Exception e) when (RedisOutage.Is(e))
        {
            logger.LogWarning(e, "Replica {Replica} could not remove itself from the live replicas", _replica);
        }
    }

    private void OnCancelRequested(string id)
    {
        if (_running.TryGetValue(id, out var running))
            Stop(running, StopReason.Cancelled);
    }

    private void Stop(RunningLease running, StopReason reason)
    {
        running.StopReason ??= reason;
        if (reason == StopReason.HandBack)
            running.StopReason = reason;
        if (running.Job is { } job)
            jobs.TryCancel(job);
    }

    private static async Task WaitAsync(Task any, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await any.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
        }
    }

    private enum StopReason
    {
        Cancelled,
        Lost,
        HandBack,
    }

    private sealed class RunningLease(JobLease lease)
    {
        private int _submitted;

        public JobLease Lease { get; } = lease;

        public Task Run { get; set; } = Task.CompletedTask;

        public Job? Job { get; set; }

        public StopReason? StopReason { get; set; }

        // Once its work is in the engine (or it ended), the engine's own count covers it.
        public void MarkSubmitted(ref int starting)
        {
            if (Interlocked.Exchange(ref _submitted, 1) == 0)
                Interlocked.Decrement(ref starting);
        }
    }
}
