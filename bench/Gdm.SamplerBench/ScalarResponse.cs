using Gdm.Core;
using Gdm.Core.Grouping;
using Gdm.Core.Sampling;
using Gdm.Core.Schedules;

namespace Gdm.SamplerBench;

/// <summary>
/// What a sampler does to independent 1-D Gaussians: for coordinate i of group g with data N(nu_i, lambda_i) and the
/// exact u, the sampler's output is affine, y_0 = Gain_i eps_i + MeanGain_i nu_i (an exact sampler has Gain = sqrt(lambda),
/// MeanGain = 1). Measured by running Core's own sampler, grid and integrator on the diagonal problem twice.
/// </summary>
public sealed record ScalarResponse(double[] Gain, double[] MeanGain)
{
    public static ScalarResponse Measure(CoefficientGrouping grouping, double[] variances, SamplerKind sampler, TimeGrid grid)
    {
        var d = grouping.Shape.Size;
        var process = GdmProcess.Create(grouping, causalInput: true);
        var denoiser = new DiagonalGaussianDenoiser(process, Enumerable.Repeat(1.0, d).ToArray(), variances);
        // Starts 0 and 1 with data mean 1: y(0) = MeanGain, y(1) - y(0) = Gain.
        var trajectories = new[] { new Trajectory(new float[d], grid), new Trajectory(Enumerable.Repeat(1f, d).ToArray(), grid) };
        Integrator.Run(denoiser, Samplers.Create(sampler), grouping, trajectories);
        var meanGain = trajectories[0].State.Select(v => (double)v).ToArray();
        var gain = trajectories[1].State.Select((v, i) => v - meanGain[i]).ToArray();
        return new ScalarResponse(gain, meanGain);
    }
}
