using System.Diagnostics.CodeAnalysis;

namespace Gdm.Api.Engine;

/// <summary>Admission to the engine: submitting never waits (a full queue refuses at once), and tickets tell their queue position.</summary>
public interface IEngineQueue
{
    int Capacity { get; }

    /// <summary>Requests admitted and not yet taken by the worker.</summary>
    int Depth { get; }

    bool TrySubmit(TrajectoryWork work, [NotNullWhen(true)] out WorkTicket? ticket);

    /// <summary>Submits or throws EngineBusyException.</summary>
    WorkTicket Submit(TrajectoryWork work);

    /// <summary>1 for the next to be taken, 0 once the worker has it.</summary>
    long PositionOf(WorkTicket ticket);
}
