namespace Gdm.Api.Cluster;

/// <summary>
/// A replica's claim on one delivery of a job: the job, its stream entry, and the attempt number that fences every
/// write the replica makes for it (a write with an older attempt than the job's is dropped, so an owner that was
/// presumed dead cannot overwrite its successor). Payload is the job's request as the accepting replica stored it.
/// </summary>
public sealed record JobLease(string JobId, string EntryId, long Attempt, string Kind, string Payload, bool Reclaimed);

/// <summary>What a fenced write found: the lease still holds, holds but a DELETE asked the job to stop, or was lost.</summary>
public enum LeaseState
{
    Held,
    CancelRequested,
    Lost,
}
