using Gdm.Core.Schedules;

namespace Gdm.Core.Sampling;

/// <summary>
/// One image on its way along its own time grid. Its position (step and stage within a step) is explicit here,
/// not hidden in a sampler, so a batching engine can hold trajectories at different points and advance them
/// together. State is in coefficient space and owned by the trajectory.
/// </summary>
public sealed class Trajectory
{
    public Trajectory(float[] state, TimeGrid grid)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(grid);
        State = state;
        Grid = grid;
        Scratch = new float[state.Length];
        Slope = new float[state.Length];
    }

    public float[] State { get; }

    public TimeGrid Grid { get; }

    /// <summary>Index of the step being taken: from Grid.Times[Step] to Grid.Times[Step + 1].</summary>
    public int Step { get; internal set; }

    /// <summary>Evaluation within the step (Heun: 0 predictor, 1 corrector).</summary>
    public int Stage { get; internal set; }

    public bool IsFinished => Step >= Grid.StepCount;

    /// <summary>Time of the state in State (the start of the current step).</summary>
    public double Time => Grid.Times[Math.Min(Step, Grid.StepCount)];

    /// <summary>Steps finished out of Grid.StepCount.</summary>
    public double Progress => (double)Step / Grid.StepCount;

    // Multi-stage samplers keep their intermediate state here: the predicted state and the first slope.
    internal float[] Scratch { get; }

    internal float[] Slope { get; }
}
