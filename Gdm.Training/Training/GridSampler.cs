using Gdm.Core;
using Gdm.Core.Latents;
using Gdm.Core.Sampling;
using Gdm.Core.Schedules;

namespace Gdm.Training.Training;

/// <summary>Draws images with Gdm.Core's sampler from any IImageNetwork: the training grids and the `sample` verb.</summary>
public static class GridSampler
{
    /// <summary>count images, image i from LatentRecipe.FromSeed(seed + i); pixels in [-1, 1], image after image.</summary>
    public static float[] Sample(IImageNetwork network, GdmProcess process, int count, ulong seed, IReadOnlyList<int> stepsPerGroup, SamplerKind sampler = SamplerKind.Euler)
    {
        var grid = TimeGrid.Generation(process.Schedule, stepsPerGroup);
        var trajectories = Enumerable.Range(0, count)
            .Select(i => new Trajectory(LatentRecipe.FromSeed(seed + (ulong)i, process.Grouping.Count).Realise(process.Grouping), grid))
            .ToArray();
        Integrator.Run(new NetworkDenoiser(network, process), Samplers.Create(sampler), process.Grouping, trajectories);
        var d = process.Shape.Size;
        var pixels = new float[count * d];
        for (var i = 0; i < count; i++)
            process.Transform.Inverse(trajectories[i].State, pixels.AsSpan(i * d, d));
        return pixels;
    }
}
