namespace Gdm.Training.Training;

/// <summary>
/// The learning rate of every optimizer step, a pure function of the step so a resumed run sets the same rate a run
/// without a stop would have: a linear warm-up to the options' rate, then either that rate held (none) or a cosine
/// from it down to zero at the run's last step (cosine). A resume that raises --steps stretches the cosine from there on.
/// </summary>
public static class LearningRateSchedule
{
    public const string None = "none";
    public const string Cosine = "cosine";

    public static readonly IReadOnlyList<string> Names = [None, Cosine];

    /// <summary>The rate of the step that follows <paramref name="step"/> completed steps.</summary>
    public static double At(TrainingOptions options, long step)
    {
        var warmup = Math.Max(1, options.WarmupSteps);
        var rate = options.LearningRate * Math.Min(1.0, (step + 1.0) / warmup);
        if (options.LearningRateDecay != Cosine || step < options.WarmupSteps)
            return rate;
        var span = Math.Max(1, options.Steps - options.WarmupSteps);
        var progress = Math.Clamp((step - options.WarmupSteps) / (double)span, 0.0, 1.0);
        return rate * 0.5 * (1.0 + Math.Cos(Math.PI * progress));
    }
}
