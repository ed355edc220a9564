using System.Diagnostics.CodeAnalysis;
using Gdm.Api.Engine;

namespace Gdm.Tests.Api.Engine;

/// <summary>A request's progress across its phases: done starts at zero, only grows, and ends at the total.</summary>
public sealed class ProgressTrackerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Progress_starts_at_zero_even_when_the_worker_reports_before_Submit_has_returned()
    {
        await using var engine = await EngineHarness.StartAsync();
        engine.Gate.Close();
        // The request thread is preempted right after Submit: the worker takes the work, reports it started and is
        // inside its first network call before the generator gets to tell the tracker about the ticket.
        var generator = new ImageGenerator(new PreemptedAfterSubmit(engine.Queue, engine.Gate), engine.Recent);
        var tracker = new ProgressTracker();
        var work = engine.Work(seed: 1, stepsPerGroup: 2);
        var total = work.EvaluationsTotal;

        var run = generator.RunAsync(engine.Model, work.Trajectories, tracker, CancellationToken.None);
        var (doneWhileRunning, totalWhileRunning, _) = tracker.Read();
        engine.Gate.Open();
        await run.WaitAsync(Patience);
        var (doneAtEnd, totalAtEnd, _) = tracker.Read();

        Assert.Equal((0, total), (doneWhileRunning, totalWhileRunning));
        Assert.Equal((total, total), (doneAtEnd, totalAtEnd));
    }

    /// <summary>Returns from Submit only once the worker has taken the work and begun its first network call.</summary>
    private sealed class PreemptedAfterSubmit(EngineQueue inner, Support.NetworkGate gate) : IEngineQueue
    {
        public int Capacity => inner.Capacity;

        public int Depth => inner.Depth;

        public bool TrySubmit(TrajectoryWork work, [NotNullWhen(true)] out WorkTicket? ticket) => inner.TrySubmit(work, out ticket);

        public WorkTicket Submit(TrajectoryWork work)
        {
            var ticket = inner.Submit(work);
            gate.WaitForCallAsync().GetAwaiter().GetResult();
            return ticket;
        }

        public long PositionOf(WorkTicket ticket) => inner.PositionOf(ticket);
    }
}
