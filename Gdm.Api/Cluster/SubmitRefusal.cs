namespace Gdm.Api.Cluster;

/// <summary>Why the cluster queue refused a job: None when it was admitted.</summary>
public enum SubmitRefusal
{
    None,
    QueueFull,
    ShareTaken,
}
