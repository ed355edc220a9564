using Gdm.Api.Inference;

namespace Gdm.Api.Engine;

/// <summary>
/// What a request hands the engine: trajectories of one model, a token that ends them (client gone, deadline, DELETE)
/// and an optional progress callback, called on the worker after every evaluation (keep it cheap).
/// The trajectories' data are the caller's copies; the engine copies the start states again before it moves them.
/// </summary>
public sealed record TrajectoryWork(
    LoadedModel Model,
    IReadOnlyList<TrajectoryStart> Trajectories,
    CancellationToken CancellationToken,
    Action<WorkProgress>? OnProgress = null)
{
    public int EvaluationsTotal => Trajectories.Sum(t => t.Evaluations);
}
