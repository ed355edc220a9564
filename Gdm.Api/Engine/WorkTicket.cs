namespace Gdm.Api.Engine;

/// <summary>
/// An admitted piece of work: its place in the queue and its final states (one per trajectory, in order). The task is
/// cancelled when the work's token fires and faults when the network fails.
/// </summary>
public sealed class WorkTicket
{
    internal WorkTicket(long sequence, TrajectoryWork work)
    {
        Sequence = sequence;
        Work = work;
    }

    public long Sequence { get; }

    internal TrajectoryWork Work { get; }

    internal TaskCompletionSource<float[][]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<float[][]> FinalStates => Completion.Task;

    /// <summary>Its place in the queue while it waits; removed when taken or withdrawn.</summary>
    internal LinkedListNode<WorkTicket>? Node { get; set; }

    /// <summary>Takes it out of the queue when its token fires while it waits.</summary>
    internal CancellationTokenRegistration CancellationRegistration { get; set; }
}
