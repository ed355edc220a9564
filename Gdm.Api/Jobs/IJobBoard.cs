using System.Net.ServerSentEvents;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Engine;

namespace Gdm.Api.Jobs;

/// <summary>
/// Where jobs live, as the job endpoints see them: in this process (InMemoryJobBoard, the default) or shared by every
/// replica through Redis (Cluster.RedisJobBoard, with Cluster:Redis set). Both answer in wire terms, so the endpoints
/// do not know which one serves them, and both pass the same contract tests.
/// </summary>
public interface IJobBoard
{
    /// <summary>Admits a checked job; Full when the (cluster's) queue is full, with a Retry-After.</summary>
    Task<JobAdmission> SubmitAsync(JobSubmission submission, CancellationToken cancellationToken);

    /// <summary>The job's view, or null when it never existed or was forgotten.</summary>
    Task<JobView?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Recent jobs, newest first, optionally of one status.</summary>
    Task<IReadOnlyList<JobView>> ListAsync(JobStatus? status, int skip, int take, CancellationToken cancellationToken);

    /// <summary>Cancels a queued or running job and answers once it has stopped.</summary>
    Task<JobCancellation> CancelAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// The job's events from now on (or after lastEventId, the id of the last event a client saw), ending with its done
    /// event; null when there is no such job.
    /// </summary>
    Task<IAsyncEnumerable<SseItem<JobEvent>>?> FollowAsync(string id, string? lastEventId, CancellationToken cancellationToken);
}
