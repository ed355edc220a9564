using Gdm.Core.Schedules;

namespace Gdm.Core.Sampling;

/// <summary>
/// An ODE integrator for dy/dt = a'(t) mask(t) u(y_t, t), expressed as a pure rule over a trajectory's explicit
/// position: where to evaluate the network next, and how to move once u is known there.
/// </summary>
public interface ISampler
{
    SamplerKind Kind { get; }

    /// <summary>Network evaluations that step s of a grid takes.</summary>
    int Evaluations(TimeGrid grid, int step);

    double EvaluationTime(Trajectory trajectory);

    ReadOnlySpan<float> EvaluationState(Trajectory trajectory);

    void Advance(Trajectory trajectory, ReadOnlySpan<float> u, ReadOnlySpan<int> groupOf);
}
