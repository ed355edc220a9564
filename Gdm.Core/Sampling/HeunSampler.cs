using Gdm.Core.Schedules;

namespace Gdm.Core.Sampling;

/// <summary>
/// Second order (trapezoid with an Euler predictor). Both evaluations use the rates of the step's own interval, and
/// the grid holds every breakpoint, so the corrector never looks across a jump of the velocity.
/// EulerLast takes an Euler step instead wherever the corrector would evaluate a moving group at a_g = 0, its clean
/// end (the last step of each group in generation), as EDM's sampler does at sigma = 0 (Karras et al. 2022,
/// Algorithm 1): the network is never trained there, and one first-order step per group keeps second order overall.
/// </summary>
public sealed class HeunSampler : ISampler
{
    public static readonly HeunSampler Instance = new(SamplerKind.Heun);

    public static readonly HeunSampler EulerLast = new(SamplerKind.HeunEulerLast);

    private HeunSampler(SamplerKind kind)
    {
        Kind = kind;
    }

    public SamplerKind Kind { get; }

    public int Evaluations(TimeGrid grid, int step) => IsEulerStep(grid, step) ? 1 : 2;

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
        if (trajectory.Stage == 0 && IsEulerStep(grid, step))
        {
            Samplers.Move(trajectory.State, u, dt, rates, groupOf);
            trajectory.Step = step + 1;
            return;
        }

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

    private bool IsEulerStep(TimeGrid grid, int step) => Kind == SamplerKind.HeunEulerLast && grid.EndsAtCleanData(step);
}
