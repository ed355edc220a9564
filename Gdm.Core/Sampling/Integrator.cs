using Gdm.Core.Grouping;

namespace Gdm.Core.Sampling;

/// <summary>
/// Runs trajectories to the end of their grids, all unfinished ones in one denoiser call per evaluation, each at its
/// own time. Checks for cancellation between evaluations. Used by the CLI and the tests; the service's engine drives
/// the same ISampler rules with its own admission loop.
/// </summary>
public static class Integrator
{
    public static void Run(
        IDenoiser denoiser,
        ISampler sampler,
        CoefficientGrouping grouping,
        IReadOnlyList<Trajectory> trajectories,
        IProgress<SamplingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(denoiser);
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentNullException.ThrowIfNull(trajectories);
        var d = grouping.Shape.Size;
        var total = trajectories.Sum(t => sampler.TotalEvaluations(t.Grid, t.Step));
        var done = 0;
        var states = new float[trajectories.Count * d];
        var u = new float[trajectories.Count * d];
        var active = new List<Trajectory>(trajectories.Count);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            active.Clear();
            active.AddRange(trajectories.Where(t => !t.IsFinished));
            if (active.Count == 0)
                return;
            var timeValues = new double[active.Count];
            var startedGroups = new int[active.Count];
            for (var b = 0; b < active.Count; b++)
            {
                sampler.EvaluationState(active[b]).CopyTo(states.AsSpan(b * d, d));
                timeValues[b] = sampler.EvaluationTime(active[b]);
                startedGroups[b] = active[b].Grid.StartedGroups(active[b].Step, timeValues[b]);
            }

            var batchStates = states.AsSpan(0, active.Count * d);
            var batchU = u.AsSpan(0, active.Count * d);
            denoiser.Predict(batchStates, timeValues, startedGroups, batchU);
            for (var b = 0; b < active.Count; b++)
                sampler.Advance(active[b], batchU.Slice(b * d, d), grouping.GroupOfEachCoefficient);
            done += active.Count;
            progress?.Report(new SamplingProgress(done, total));
        }
    }
}
