namespace Gdm.Api.Cluster;

/// <summary>What a DELETE did: no such job, it had already finished, it was still waiting and is cancelled now, or its owner was told to stop it.</summary>
public enum CancelOutcome
{
    Missing,
    AlreadyFinished,
    Cancelled,
    Requested,
}
