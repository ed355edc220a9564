using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Engine;

namespace Gdm.Api.Jobs;

/// <summary>
/// A checked job: its kind, the request as the client sent it with its uploaded files (what another replica needs to
/// plan it again), and the run this replica planned from it.
/// </summary>
public sealed record JobSubmission(
    string Kind,
    JobRequest Request,
    IReadOnlyList<byte[]> Files,
    Func<ProgressTracker, CancellationToken, Task<object>> Run);

/// <summary>The answer to a submission: accepted at a queue position, or refused because the queue is full.</summary>
public sealed record JobAdmission(JobAccepted? Accepted, string? RefusedDetail, TimeSpan RetryAfter)
{
    public static JobAdmission Admitted(string id, string status, long position)
    {
        var location = $"/v1/jobs/{id}";
        return new JobAdmission(new JobAccepted(id, status, position, location, location + "/events"), null, TimeSpan.Zero);
    }

    public static JobAdmission Full(string detail, TimeSpan retryAfter) => new(null, detail, retryAfter);
}

/// <summary>What a DELETE found, with the job's view once it stopped (or as it finished before).</summary>
public sealed record JobCancellation(JobCancellationOutcome Outcome, JobView? View);

public enum JobCancellationOutcome
{
    Missing,
    AlreadyFinished,
    Cancelled,
}
