using System.Net.ServerSentEvents;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Engine;

namespace Gdm.Api.Jobs;

/// <summary>
/// Where jobs live, as the job endpoints see them: in this process (InMemoryJobBoard, the default) or shared by every
/// replica through Redis (Cluster.RedisJobBoard, with Cluster:Redis set). Both answer in wire terms, so the endpoints
/// do not know which one serves them, and both pass the same contract tests.
/// With API keys a job belongs to the key id that submitted it: `owner` is the caller's key id, and a job of another
/// owner is answered as if it did not exist (null, Missing). A null owner (keys off) sees every job.
/// </summary>
public interface IJobBoard
{
    /// <summary>Admits a checked job; Full when the (cluster's) queue is full or its owner has its share of unfinished jobs, with a Retry-After.</summary>
    Task<JobAdmission> SubmitAsync(JobSubmission submission, CancellationToken cancellationToken);

    /// <summary>The job's view, or null when it never existed or was forgotten.</summary>
    Task<JobView?> GetAsync(string id, string? owner, CancellationToken cancellationToken);

    /// <summary>The owner's recent jobs, newest first, optionally of one status.</summary>
    Task<IReadOnlyList<JobView>> ListAsync(string? owner, JobStatus? status, int skip, int take, CancellationToken cancellationToken);

    /// <summary>Cancels a queued or running job and answers once it has stopped.</summary>
    Task<JobCancellation> CancelAsync(string id, string? owner, CancellationToken cancellationToken);

    /// <summary>
    /// The job's events from now on (or after lastEventId, the id of the last event a client saw), ending with its done
    /// event; null when there is no such job.
    /// </summary>
    Task<IAsyncEnumerable<SseItem<JobEvent>>?> FollowAsync(string id, string? owner, string? lastEventId, CancellationToken cancellationToken);
}
