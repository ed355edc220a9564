namespace Gdm.Core.Sampling;

/// <summary>
/// Second order (trapezoid with an Euler predictor). Both evaluations use the rates of the step's own interval, and
/// the grid holds every breakpoint, so the corrector never looks across a jump of the velocity.
/// </summary>
public sealed class HeunSampler : ISampler
{
    public static readonly HeunSampler Instance = new();

    private HeunSampler()
    {
    }

    public SamplerKind Kind => SamplerKind.Heun;

    public int EvaluationsPerStep => 2;

    public double EvaluationTime(Trajectory trajectory) =>
        trajectory.Grid.Times[trajectory.Step + trajectory.Stage];

    public ReadOnlySpan<float> EvaluationState(Trajectory trajectory) =>
        trajectory.Stage == 0 ? trajectory.State : trajectory.Scratch;

    public void Advance(Trajectory trajectory, ReadOnlySpan<float> u, ReadOnlySpan<int> groupOf)
    {
        var grid = trajectory.Grid;
        var step = trajectory.Step;
        var dt = grid.Times[step + 1] - grid.Times[step];
        var rates = grid.StepRates(step);
        if (trajectory.Stage == 0)
        {
            u.CopyTo(trajectory.Slope);
            trajectory.State.CopyTo(trajectory.Scratch);
            Samplers.Move(trajectory.Scratch, u, dt, rates, groupOf);
            trajectory.Stage = 1;
            return;
        }

        // y_{n+1} = y_n + dt a' (u_1 + u_2) / 2
        var slope = trajectory.Slope;
        for (var i = 0; i < slope.Length; i++)
            slope[i] = 0.5f * (slope[i] + u[i]);
        Samplers.Move(trajectory.State, slope, dt, rates, groupOf);
        trajectory.Stage = 0;
        trajectory.Step = step + 1;
    }
}
