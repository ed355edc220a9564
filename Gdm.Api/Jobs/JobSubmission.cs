using System.Text.Json;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Engine;

namespace Gdm.Api.Jobs;

/// <summary>
/// A checked job: its kind, the request as the client sent it with its uploaded files (what another replica needs to
/// plan it again), the run this replica planned from it, and its owner (the submitting key's id; null without keys).
/// </summary>
public sealed record JobSubmission(
    string Kind,
    JsonElement Request,
    IReadOnlyList<byte[]> Files,
    JobRun Run,
    string? Owner);

/// <summary>
/// The answer to a submission: accepted at a queue position, or refused: 429 because the queue is full or too long to
/// finish in time (Retry-After its drain time), 400 because the work cannot finish inside the deadline at all.
/// </summary>
public sealed record JobAdmission(JobAccepted? Accepted, string? RefusedDetail, TimeSpan RetryAfter, int RefusedStatus = StatusCodes.Status429TooManyRequests)
{
    public static JobAdmission Admitted(string id, string status, long position)
    {
        var location = $"/v1/jobs/{id}";
        return new JobAdmission(new JobAccepted(id, status, position, location, location + "/events"), null, TimeSpan.Zero);
    }

    public static JobAdmission Full(string detail, TimeSpan retryAfter) => new(null, detail, retryAfter);

    public static JobAdmission TooLarge(string detail) => new(null, detail, TimeSpan.Zero, StatusCodes.Status400BadRequest);

    public static JobAdmission Stopping(string detail) => new(null, detail, TimeSpan.Zero, StatusCodes.Status503ServiceUnavailable);

    /// <summary>Why a key's next job is refused while it has its share of unfinished ones.</summary>
    public static string ShareTaken(string owner, long active, int share) =>
        $"the key '{owner}' has {active} unfinished jobs, its share ({Options.FairShareOptions.Section}:ActiveJobsPerKey is {share}): wait for one to finish";
}

/// <summary>What a DELETE found, with the job's view once it stopped (or as it finished before).</summary>
public sealed record JobCancellation(JobCancellationOutcome Outcome, JobView? View);

public enum JobCancellationOutcome
{
    Missing,
    AlreadyFinished,
    Cancelled,
}
