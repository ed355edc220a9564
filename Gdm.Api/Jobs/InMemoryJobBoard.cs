using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Engine;
using Gdm.Api.Options;
using Microsoft.Extensions.Options;

namespace Gdm.Api.Jobs;

/// <summary>
/// Jobs of this process only (no Cluster:Redis): the JobStore runs them on this replica's engine queue. Its events
/// are the job's changes as they happen; their ids count up from the Last-Event-ID a client resumes with, and a
/// resumed stream starts with the job's current state (what happened in between is not kept).
/// </summary>
public sealed class InMemoryJobBoard(
    JobStore jobs,
    EngineQueue queue,
    IOptions<EngineOptions> engine,
    IOptions<ClusterOptions> cluster,
    IOptions<FairShareOptions> fairShare) : IJobBoard
{
    private readonly string _replica = cluster.Value.ResolvedReplicaName;

    // Counting an owner's unfinished jobs and starting one more is one step, so two submissions cannot both take the last place.
    private readonly Lock _admission = new();

    public Task<JobAdmission> SubmitAsync(JobSubmission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        Job job;
        lock (_admission)
        {
            var share = fairShare.Value.ActiveJobsPerKey;
            if (submission.Owner is { } owner && jobs.All.Count(j => j.Owner == owner && !j.IsFinished) is var active && active >= share)
                return Task.FromResult(JobAdmission.Full(JobAdmission.ShareTaken(owner, active, share), queue.EstimatedDrainTime));
            job = jobs.Start(submission.Kind, submission.Run, submission.Owner);
        }

        var snapshot = job.Snapshot();
        // Refused at admission (before its first await): answered at once, not as a failed job. One refused because the
        // service began stopping while its request was being checked is a 503 too: a 202 would promise a job that
        // vanishes with the process.
        if (snapshot.Failure is { StatusCode: StatusCodes.Status429TooManyRequests or StatusCodes.Status400BadRequest or StatusCodes.Status503ServiceUnavailable } refused)
        {
            jobs.Forget(job);
            return Task.FromResult(refused.StatusCode switch
            {
                StatusCodes.Status400BadRequest => JobAdmission.TooLarge(refused.Detail),
                StatusCodes.Status503ServiceUnavailable => JobAdmission.Stopping(refused.Detail),
                _ => JobAdmission.Full(refused.Detail, refused.RetryAfter ?? engine.Value.RetryAfter),
            });
        }

        return Task.FromResult(JobAdmission.Admitted(job.Id, JobViews.StatusName(snapshot.Status), PositionOf(snapshot)));
    }

    public Task<JobView?> GetAsync(string id, string? owner, CancellationToken cancellationToken) =>
        Task.FromResult(TryGet(id, owner, out var job) ? View(job) : null);

    public Task<IReadOnlyList<JobView>> ListAsync(string? owner, JobStatus? status, int skip, int take, CancellationToken cancellationToken)
    {
        IReadOnlyList<JobView> views = jobs.All
            .Where(j => Visible(j, owner))
            .OrderByDescending(j => j.CreatedAt)
            .Select(View)
            .Where(v => status is null || v.Status == JobViews.StatusName(status.Value))
            .Skip(skip)
            .Take(take)
            .ToArray();
        return Task.FromResult(views);
    }

    public async Task<JobCancellation> CancelAsync(string id, string? owner, CancellationToken cancellationToken)
    {
        if (!TryGet(id, owner, out var job))
            return new JobCancellation(JobCancellationOutcome.Missing, null);
        if (!jobs.TryCancel(job))
            return new JobCancellation(JobCancellationOutcome.AlreadyFinished, View(job));
        await job.Completion.WaitAsync(cancellationToken);
        return new JobCancellation(JobCancellationOutcome.Cancelled, View(job));
    }

    public Task<IAsyncEnumerable<SseItem<JobEvent>>?> FollowAsync(string id, string? owner, string? lastEventId, CancellationToken cancellationToken)
    {
        if (!TryGet(id, owner, out var job))
            return Task.FromResult<IAsyncEnumerable<SseItem<JobEvent>>?>(null);
        var first = long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out var last) ? last + 1 : 1;
        return Task.FromResult<IAsyncEnumerable<SseItem<JobEvent>>?>(Events(job, first, cancellationToken));
    }

    private async IAsyncEnumerable<SseItem<JobEvent>> Events(Job job, long nextId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        JobEvent? last = null;
        while (true)
        {
            // Taken before the snapshot (ChangeSignal's rule); while the job waits, the work ahead of it leaving moves it too.
            var changed = job.Progress.Changed.Next;
            var moved = queue.PositionsChanged.Next;
            var snapshot = job.Snapshot();
            var next = JobViews.Event(job.Id, snapshot.Status, PositionOf(snapshot), snapshot.EvaluationsDone, snapshot.EvaluationsTotal);
            if (next != last)
            {
                yield return new SseItem<JobEvent>(next, snapshot.IsFinished ? "done" : "progress")
                {
                    EventId = (nextId++).ToString(CultureInfo.InvariantCulture),
                };
                last = next;
            }

            if (snapshot.IsFinished)
                yield break;
            await (snapshot.Status == JobStatus.Queued ? Task.WhenAny(changed, moved) : changed).WaitAsync(cancellationToken);
        }
    }

    private bool TryGet(string id, string? owner, [NotNullWhen(true)] out Job? job) =>
        jobs.TryGet(id, out job) && Visible(job, owner);

    private static bool Visible(Job job, string? owner) => owner is null || job.Owner == owner;

    private JobView View(Job job)
    {
        var snapshot = job.Snapshot();
        return JobViews.From(snapshot, PositionOf(snapshot), job.Progress.Started ? _replica : null);
    }

    private long PositionOf(JobSnapshot snapshot) =>
        snapshot.Status == JobStatus.Queued && snapshot.Ticket is { } ticket ? queue.PositionOf(ticket) : 0;
}
