using Gdm.Api.Inference;
using Gdm.Core.Latents;
using Gdm.Core.Sampling;

namespace Gdm.Api.Engine;

/// <summary>Images to their latents through the engine.</summary>
public static class ImageInversion
{
    /// <summary>
    /// Each image's latent eps: the generation ODE integrated from t = 0 (the image's coefficients) up to t = 1 on the
    /// full grid of the given steps, group by group, finest first. Decoding eps with the same steps and sampler gives
    /// the image back up to the discretisation error of the two runs. It uses the grid and causal-input rule of the
    /// recipe version the latent is for (LoadedModel.InversionGrid), the ones decoding uses.
    /// </summary>
    public static Task<float[][]> InvertAsync(
        this ImageGenerator generator,
        LoadedModel model,
        IReadOnlyList<float[]> coefficients,
        IReadOnlyList<int> stepsPerGroup,
        SamplerKind sampler,
        RecipeVersion? version,
        ProgressTracker? tracker,
        CancellationToken cancellationToken) =>
        generator.InvertFromAsync(model, coefficients, new int[coefficients.Count], stepsPerGroup, sampler, version, tracker, cancellationToken);

    /// <summary>
    /// The latent of each image's groups from firstGroups[i] on, for a prefix start at that group: the inversion stops
    /// at e_k, which gives those groups exactly their full-inversion values for only their own steps. The groups
    /// before k come back as zeros; a prefix start at k never reads them.
    /// </summary>
    public static async Task<float[][]> InvertFromAsync(
        this ImageGenerator generator,
        LoadedModel model,
        IReadOnlyList<float[]> coefficients,
        IReadOnlyList<int> firstGroups,
        IReadOnlyList<int> stepsPerGroup,
        SamplerKind sampler,
        RecipeVersion? version,
        ProgressTracker? tracker,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(coefficients);
        ArgumentNullException.ThrowIfNull(firstGroups);
        var starts = coefficients
            .Select((c, i) => new TrajectoryStart(c.ToArray(), model.InversionGrid(stepsPerGroup, firstGroups[i], version), sampler))
            .ToArray();
        var latents = await generator.RunAsync(model, starts, tracker, cancellationToken);
        var groupOf = model.Process.Grouping.GroupOfEachCoefficient;
        for (var i = 0; i < latents.Length; i++)
            for (var j = 0; j < groupOf.Length; j++)
                if (groupOf[j] < firstGroups[i])
                    latents[i][j] = 0f;
        return latents;
    }
}
