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
/// Engine:QueueCapacityRequests bounds the cluster's queue (jobs no replica has taken yet), FairShare:ActiveJobsPerKey
/// each key's unfinished jobs across the cluster, and a refusal's Retry-After is the cluster's drain estimate.
/// </summary>
public sealed class RedisJobBoard(
    RedisJobQueue queue,
    RedisJobRecords records,
    ClusterSignals signals,
    IOptions<EngineOptions> engine,
    IOptions<FairShareOptions> fairShare) : IJobBoard
{
    public async Task<JobAdmission> SubmitAsync(JobSubmission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var id = Guid.NewGuid().ToString("n");
        var payload = new JobPayload(submission.Request, submission.Files).ToJson();
        var capacity = engine.Value.QueueCapacityRequests;
        var share = fairShare.Value.ActiveJobsPerKey;
        var (position, refusal) = await queue.SubmitAsync(id, submission.Kind, payload, capacity, submission.Owner, share);
        if (refusal == SubmitRefusal.None)
            return JobAdmission.Admitted(id, JobViews.StatusName(JobStatus.Queued), position);
        var stats = await records.StatsAsync();
        return refusal == SubmitRefusal.ShareTaken
            ? JobAdmission.Full(JobAdmission.ShareTaken(submission.Owner!, await queue.ActiveJobsAsync(submission.Owner!), share), stats.DrainEstimate)
            : JobAdmission.Full($"the cluster's queue holds {stats.Depth} jobs (Engine:QueueCapacityRequests is {capacity})", stats.DrainEstimate);
    }

    public async Task<JobView?> GetAsync(string id, string? owner, CancellationToken cancellationToken) =>
        await VisibleAsync(id, owner) is { } record ? JobViews.From(record) : null;

    public async Task<IReadOnlyList<JobView>> ListAsync(string? owner, JobStatus? status, int skip, int take, CancellationToken cancellationToken)
    {
        if (status is null)
            return (await records.ListAsync(owner, skip, take)).Select(JobViews.From).ToArray();

        // A status filter reads the index in pages until enough jobs of that status were seen.
        var views = new List<JobView>();
        var skipped = 0;
        for (var offset = 0; views.Count < take; offset += 100)
        {
            var page = await records.ListAsync(owner, offset, 100);
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

    public async Task<JobCancellation> CancelAsync(string id, string? owner, CancellationToken cancellationToken)
    {
        if (await VisibleAsync(id, owner) is null)
            return new JobCancellation(JobCancellationOutcome.Missing, null);
        using var watch = signals.WatchJob(id);
        switch (await records.CancelAsync(id))
        {
            case CancelOutcome.Missing:
                return new JobCancellation(JobCancellationOutcome.Missing, null);
            case CancelOutcome.AlreadyFinished:
                return new JobCancellation(JobCancellationOutcome.AlreadyFinished, await GetAsync(id, owner, cancellationToken));
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

    public async Task<IAsyncEnumerable<SseItem<JobEvent>>?> FollowAsync(string id, string? owner, string? lastEventId, CancellationToken cancellationToken) =>
        await VisibleAsync(id, owner) is null ? null : Events(id, lastEventId, cancellationToken);

    // The job's record when it exists and the caller may see it (its owner, or anyone without API keys).
    private async Task<ClusterJobRecord?> VisibleAsync(string id, string? owner) =>
        await records.GetAsync(id) is { } record && (owner is null || record.Owner == owner) ? record : null;

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
