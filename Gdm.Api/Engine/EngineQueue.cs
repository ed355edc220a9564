using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using Gdm.Api.Options;
using Microsoft.Extensions.Options;

namespace Gdm.Api.Engine;

/// <summary>
/// The bounded queue of admitted work between request threads and the one batching worker. Submitting never waits:
/// a full queue refuses at once, so the caller can answer 429. Sequence numbers give queue positions.
/// </summary>
public sealed class EngineQueue
{
    private readonly Channel<WorkTicket> _channel;
    private readonly Lock _submitLock = new();
    private long _submitted;
    private long _taken;
    private int _outstandingTrajectories;

    public EngineQueue(IOptions<EngineOptions> options)
    {
        Capacity = options.Value.QueueCapacityRequests;
        _channel = Channel.CreateBounded<WorkTicket>(new BoundedChannelOptions(Capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public int Capacity { get; }

    /// <summary>Requests admitted and not yet taken by the worker.</summary>
    public int Depth => _channel.Reader.Count;

    /// <summary>Trajectories of admitted work that has not ended yet (waiting, or in the batch): what the engine is busy with.</summary>
    public int OutstandingTrajectories => Volatile.Read(ref _outstandingTrajectories);

    /// <summary>Pulsed whenever admitted work ends, so whoever fills the engine from elsewhere (the cluster queue) can look again.</summary>
    public ChangeSignal WorkEnded { get; } = new();

    internal ChannelReader<WorkTicket> Reader => _channel.Reader;

    public bool TrySubmit(TrajectoryWork work, [NotNullWhen(true)] out WorkTicket? ticket)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (_submitLock)
        {
            var candidate = new WorkTicket(_submitted + 1, work);
            if (!_channel.Writer.TryWrite(candidate))
            {
                ticket = null;
                return false;
            }

            _submitted++;
            ticket = candidate;
            EngineMetrics.QueueDepth.Set(Depth);
            var trajectories = work.Trajectories.Count;
            Interlocked.Add(ref _outstandingTrajectories, trajectories);
            candidate.FinalStates.ContinueWith(
                _ =>
                {
                    Interlocked.Add(ref _outstandingTrajectories, -trajectories);
                    WorkEnded.Pulse();
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            return true;
        }
    }

    /// <summary>Submits or throws EngineBusyException.</summary>
    public WorkTicket Submit(TrajectoryWork work) =>
        TrySubmit(work, out var ticket) ? ticket : throw new EngineBusyException(Capacity);

    /// <summary>1 for the next to be taken, 0 once the worker has it.</summary>
    public long PositionOf(WorkTicket ticket) => Math.Max(0, ticket.Sequence - Interlocked.Read(ref _taken));

    internal void MarkTaken(WorkTicket ticket)
    {
        Interlocked.Exchange(ref _taken, Math.Max(Interlocked.Read(ref _taken), ticket.Sequence));
        EngineMetrics.QueueDepth.Set(Depth);
    }

    internal void Complete() => _channel.Writer.TryComplete();
}
