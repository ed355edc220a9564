using Gdm.Core;
using Gdm.Core.Grouping;
using Gdm.Core.Latents;
using Gdm.Core.Sampling;
using Gdm.Core.Schedules;

namespace Gdm.Tests.Core.Sampling;

/// <summary>
/// A small Gaussian target on a 1x3x2 "image" with three row groups, whose covariance couples every pair of
/// groups, plus helpers to run a sampler on it and to measure the exact law of the sampler's output. groupScales
/// multiplies each group's coordinates (like DCT bands, whose spreads differ by a factor of 30).
/// </summary>
public sealed class GaussianProblem
{
    public GaussianProblem(bool causalInput = true, double overlap = 0, IReadOnlyList<double>? groupScales = null)
    {
        var shape = new ImageShape(1, 3, 2);
        Process = GdmProcess.Create(CoefficientGrouping.Rows(shape, 3, RowOrder.TopDown), overlap, causalInput);
        Mean = [0.5, -1.0, 0.25, 1.5, -0.75, 0.0];
        // Sigma = L L^T + 0.05 I with a dense L: every group is correlated with every other.
        double[,] l =
        {
            { 1.0, 0, 0, 0, 0, 0 },
            { 0.6, 0.8, 0, 0, 0, 0 },
            { -0.5, 0.3, 0.7, 0, 0, 0 },
            { 0.4, -0.2, 0.5, 0.6, 0, 0 },
            { 0.3, 0.5, -0.4, 0.2, 0.5, 0 },
            { -0.2, 0.1, 0.3, -0.5, 0.4, 0.6 },
        };
        Covariance = new double[6, 6];
        for (var i = 0; i < 6; i++)
            for (var j = 0; j < 6; j++)
            {
                var sum = i == j ? 0.05 : 0;
                for (var k = 0; k < 6; k++)
                    sum += l[i, k] * l[j, k];
                Covariance[i, j] = sum;
            }

        if (groupScales is not null)
        {
            var groupOf = Process.Grouping.GroupOfEachCoefficient;
            for (var i = 0; i < 6; i++)
            {
                Mean[i] *= groupScales[groupOf[i]];
                for (var j = 0; j < 6; j++)
                    Covariance[i, j] *= groupScales[groupOf[i]] * groupScales[groupOf[j]];
            }
        }

        Denoiser = new GaussianDenoiser(Process, Mean, Covariance);
    }

    public GdmProcess Process { get; }

    public CoefficientGrouping Grouping => Process.Grouping;

    public double[] Mean { get; }

    public double[,] Covariance { get; }

    public GaussianDenoiser Denoiser { get; }

    public int Dimension => Mean.Length;

    public TimeGrid Grid(int stepsPerGroup, int firstGroup = 0, IReadOnlyList<double>? shifts = null) =>
        TimeGrid.Generation(Process.Schedule, TimeGrid.EqualSteps(Grouping.Count, stepsPerGroup), firstGroup, shifts);

    /// <summary>sigma_g: the RMS data std of each group's coefficients (what band-warp grids are built from).</summary>
    public IReadOnlyList<double> GroupStds() =>
        Grouping.Groups.Select(g => Math.Sqrt(g.Indices.Average(i => Covariance[i, i]))).ToArray();

    public float[][] Generate(SamplerKind kind, int stepsPerGroup, IReadOnlyList<float[]> starts, int firstGroup = 0, IReadOnlyList<double>? shifts = null)
    {
        var trajectories = starts.Select(s => new Trajectory((float[])s.Clone(), Grid(stepsPerGroup, firstGroup, shifts))).ToArray();
        Integrator.Run(Denoiser, Samplers.Create(kind), Grouping, trajectories);
        return trajectories.Select(t => t.State).ToArray();
    }

    public float[] Invert(SamplerKind kind, int stepsPerGroup, float[] data, int firstGroup = 0)
    {
        var grid = TimeGrid.Inversion(Process.Schedule, TimeGrid.EqualSteps(Grouping.Count, stepsPerGroup), firstGroup);
        var trajectory = new Trajectory((float[])data.Clone(), grid);
        Integrator.Run(Denoiser, Samplers.Create(kind), Grouping, [trajectory]);
        return trajectory.State;
    }

    public float[] Latent(ulong seed) => LatentRecipe.FromSeed(seed, Grouping.Count).Realise(Grouping);

    /// <summary>
    /// The analytic denoiser is affine in y_t, so the sampler is an affine map y_0 = M eps + c. Running it on 0 and
    /// on each basis vector gives M and c, hence the exact mean c and covariance M M^T of its output law.
    /// </summary>
    public (double[] Mean, double[,] Covariance) ExactOutputLaw(SamplerKind kind, int stepsPerGroup, IReadOnlyList<double>? shifts = null)
    {
        var d = Dimension;
        var starts = new List<float[]> { new float[d] };
        for (var i = 0; i < d; i++)
        {
            var e = new float[d];
            e[i] = 1f;
            starts.Add(e);
        }

        var outputs = Generate(kind, stepsPerGroup, starts, shifts: shifts);
        var offset = outputs[0].Select(v => (double)v).ToArray();
        var covariance = new double[d, d];
        for (var i = 0; i < d; i++)
            for (var j = 0; j < d; j++)
                for (var k = 0; k < d; k++)
                    covariance[i, j] += (outputs[k + 1][i] - offset[i]) * (outputs[k + 1][j] - offset[j]);
        return (offset, covariance);
    }

    /// <summary>Largest absolute error of a mean and covariance against the target's.</summary>
    public double LawError(double[] mean, double[,] covariance)
    {
        var error = 0.0;
        for (var i = 0; i < Dimension; i++)
        {
            error = Math.Max(error, Math.Abs(mean[i] - Mean[i]));
            for (var j = 0; j < Dimension; j++)
                error = Math.Max(error, Math.Abs(covariance[i, j] - Covariance[i, j]));
        }

        return error;
    }
}
