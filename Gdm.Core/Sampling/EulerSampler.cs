using Gdm.Core.Schedules;

namespace Gdm.Core.Sampling;

/// <summary>First order: y_{n+1} = y_n + (t_{n+1} - t_n) a'(step) u(y_n, t_n).</summary>
public sealed class EulerSampler : ISampler
{
    public static readonly EulerSampler Instance = new();

    private EulerSampler()
    {
    }

    public SamplerKind Kind => SamplerKind.Euler;

    public int Evaluations(TimeGrid grid, int step) => 1;

    public double EvaluationTime(Trajectory trajectory) => trajectory.Grid.Times[trajectory.Step];

    public ReadOnlySpan<float> EvaluationState(Trajectory trajectory) => trajectory.State;

    public void Advance(Trajectory trajectory, ReadOnlySpan<float> u, ReadOnlySpan<int> groupOf)
    {
        var grid = trajectory.Grid;
        var step = trajectory.Step;
        Samplers.Move(trajectory.State, u, grid.Times[step + 1] - grid.Times[step], grid.StepRates(step), groupOf);
        trajectory.Step = step + 1;
    }
}
