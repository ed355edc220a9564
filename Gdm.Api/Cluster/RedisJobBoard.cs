using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Engine;
using Gdm.Api.Jobs;
using Gdm.Api.Options;
using Microsoft.Extensions.Options;

namespace Gdm.Api.Cluster;

/// <summary>
/// Jobs shared by every replica (Cluster:Redis set): a submission is in Redis before it is answered 202, and any
/// replica reads, lists, follows and cancels any job there. The replicas' ClusterWorkers run them.
/// Engine:QueueCapacityRequests bounds the cluster's queue (jobs no replica has taken yet), and a refusal's
/// Retry-After is the cluster's drain estimate.
/// </summary>
public sealed class RedisJobBoard(
    RedisJobQueue queue,
    RedisJobRecords records,
    ClusterSignals signals,
    IOptions<EngineOptions> engine) : IJobBoard
{
    public async Task<JobAdmission> SubmitAsync(JobSubmission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var id = Guid.NewGuid().ToString("n");
        var payload = new JobPayload(submission.Request, submission.Files).ToJson();
        var capacity = engine.Value.QueueCapacityRequests;
        if (await queue.SubmitAsync(id, submission.Kind, payload, capacity) is { } position)
            return JobAdmission.Admitted(id, JobViews.StatusName(JobStatus.Queued), position);
        var stats = await records.StatsAsync();
        return JobAdmission.Full($"the cluster's queue holds {stats.Depth} jobs (Engine:QueueCapacityRequests is {capacity})", stats.DrainEstimate);
    }

    public async Task<JobView?> GetAsync(string id, CancellationToken cancellationToken) =>
        await records.GetAsync(id) is { } record ? JobViews.From(record) : null;

    public async Task<IReadOnlyList<JobView>> ListAsync(JobStatus? status, int skip, int take, CancellationToken cancellationToken)
    {
        if (status is null)
            return (await records.ListAsync(skip, take)).Select(JobViews.From).ToArray();

        // A status filter reads the index in pages until enough jobs of that status were seen.
        var views = new List<JobView>();
        var skipped = 0;
        for (var offset = 0; views.Count < take; offset += 100)
        {
            var page = await records.ListAsync(offset, 100);
            foreach (var record in page.Where(r => r.Status == status))
            {
                if (skipped++ < skip)
                    continue;
                if (views.Count < take)
                    views.Add(JobViews.From(record));
            }

            if (page.Count < 100)
                break;
        }

        return views;
    }

    public async Task<JobCancellation> CancelAsync(string id, CancellationToken cancellationToken)
    {
        using var watch = signals.WatchJob(id);
        switch (await records.CancelAsync(id))
        {
            case CancelOutcome.Missing:
                return new JobCancellation(JobCancellationOutcome.Missing, null);
            case CancelOutcome.AlreadyFinished:
                return new JobCancellation(JobCancellationOutcome.AlreadyFinished, await GetAsync(id, cancellationToken));
        }

        // Its owner stops it before its next step and writes the cancelled state (a dead owner's successor does, on taking it over).
        while (true)
        {
            var changed = watch.Signal.Next;
            if (await records.GetAsync(id) is not { } record)
                return new JobCancellation(JobCancellationOutcome.Missing, null);
            if (record.IsFinished)
                return new JobCancellation(JobCancellationOutcome.Cancelled, JobViews.From(record));
            await WaitAsync(changed, cancellationToken);
        }
    }

    public async Task<IAsyncEnumerable<SseItem<JobEvent>>?> FollowAsync(string id, string? lastEventId, CancellationToken cancellationToken) =>
        await records.GetAsync(id) is null ? null : Events(id, lastEventId, cancellationToken);

    private async IAsyncEnumerable<SseItem<JobEvent>> Events(string id, string? after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var watch = signals.WatchJob(id);
        while (true)
        {
            var changed = watch.Signal.Next;
            var events = await records.EventsAsync(id, after);
            foreach (var e in events)
            {
                yield return new SseItem<JobEvent>(JobViews.Event(id, e.Status, e.Position, e.EvaluationsDone, e.EvaluationsTotal), e.IsDone ? "done" : "progress")
                {
                    EventId = e.Id,
                };
                after = e.Id;
                if (e.IsDone)
                    yield break;
            }

            if (events.Count == 0 && await records.GetAsync(id) is null)
                yield break;
            if (events.Count == 0)
                await WaitAsync(changed, cancellationToken);
        }
    }

    // A change announced on the channel, or a second at most: a lost message only delays the reader.
    private static async Task WaitAsync(Task changed, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await changed.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }
}
