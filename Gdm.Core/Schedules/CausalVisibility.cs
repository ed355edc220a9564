namespace Gdm.Core.Schedules;

/// <summary>Which groups causal-input shows the network at an evaluation (a TimeGrid's rule).</summary>
public enum CausalVisibility
{
    /// <summary>
    /// The groups started throughout the step the evaluation belongs to, at either end of it: what the network saw in
    /// training, where t never sits on a boundary.
    /// </summary>
    Step,

    /// <summary>
    /// The groups started at the evaluation's own time t (e_h >= t). An evaluation at a step's lower end e_{g+1} (Heun's
    /// corrector of group g's last step, inversion's first step of group g) then shows group g + 1's pure noise, which
    /// the network never saw in training. Kept only so that recipes made before grids had names replay bit for bit.
    /// </summary>
    EvaluationTime,
}
