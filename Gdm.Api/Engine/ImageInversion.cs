using Gdm.Api.Inference;
using Gdm.Core.Sampling;
using Gdm.Core.Schedules;

namespace Gdm.Api.Engine;

/// <summary>Images to their latents through the engine (gdm-math.md, "Inversion").</summary>
public static class ImageInversion
{
    /// <summary>
    /// Each image's latent eps: the generation ODE integrated from t = 0 (the image's coefficients) up to t = 1 on the
    /// full grid of the given steps, group by group, finest first. Decoding eps with the same steps and sampler gives
    /// the image back up to the discretisation error of the two runs.
    /// </summary>
    public static async Task<float[][]> InvertAsync(
        this ImageGenerator generator,
        LoadedModel model,
        IReadOnlyList<float[]> coefficients,
        IReadOnlyList<int> stepsPerGroup,
        SamplerKind sampler,
        ProgressTracker? tracker,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(coefficients);
        var grid = TimeGrid.Inversion(model.Process.Schedule, stepsPerGroup);
        var starts = coefficients.Select(c => new TrajectoryStart(c.ToArray(), grid, sampler)).ToArray();
        return await generator.RunAsync(model, starts, tracker, cancellationToken);
    }
}
