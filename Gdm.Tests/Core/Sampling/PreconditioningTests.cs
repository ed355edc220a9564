using Gdm.Core;
using Gdm.Core.Grouping;
using Gdm.Core.Models;
using Gdm.Core.Sampling;
using Gdm.Core.Transforms;

namespace Gdm.Tests.Core.Sampling;

public sealed class PreconditioningTests
{
    [Theory]
    [InlineData(0.0, 2.0)]
    [InlineData(0.3, 0.2)]
    [InlineData(0.7, 7.0)]
    [InlineData(1.0, 0.5)]
    public void The_residual_scale_is_the_conditional_std_of_the_target_of_a_gaussian_coefficient(double a, double sigma)
    {
        // eps - y against y_t = (1 - a) y + a eps for y ~ N(mu, sigma^2): Var = 1 + sigma^2, Cov = a - (1 - a) sigma^2.
        var variance = (1 - a) * (1 - a) * sigma * sigma + a * a;
        var covariance = a - (1 - a) * sigma * sigma;
        Assert.Equal(covariance / variance, Preconditioning.Gain(a, sigma), 12);
        Assert.Equal(1 + sigma * sigma - covariance * covariance / variance, Math.Pow(Preconditioning.Scale(a, sigma), 2), 12);
    }

    [Fact]
    public void With_a_zero_residual_the_denoiser_is_the_exact_optimal_u_of_independent_gaussian_coefficients()
    {
        var shape = new ImageShape(1, 3, 2);
        var grouping = CoefficientGrouping.Rows(shape, 3, RowOrder.TopDown);
        double[] mean = [0.5, -1.0, 0.25, 1.5, -0.75, 0.0];
        double[] std = [1.0, 0.3, 2.0, 0.05, 0.8, 1.4];
        var covariance = new double[6, 6];
        for (var i = 0; i < 6; i++)
            covariance[i, i] = std[i] * std[i];
        var statistics = new CoefficientStatistics
        {
            DataSet = "gaussian",
            Images = 1,
            Mean = mean.Select(m => (float)m).ToArray(),
            Std = std.Select(s => (float)s).ToArray(),
            GroupStd = [1f, 1f, 1f],
        };
        var schedule = Gdm.Core.Schedules.GroupSchedule.Equal(3);
        var plain = new GdmProcess(new IdentityTransform(shape), grouping, schedule, causalInput: false);
        var preconditioned = new GdmProcess(new IdentityTransform(shape), grouping, schedule, causalInput: false, new Preconditioning(statistics));
        var exact = new GaussianDenoiser(plain, mean, covariance);
        var network = new NetworkDenoiser(new ZeroNetwork(shape), preconditioned);

        var random = new Random(5);
        double[] times = [0.97, 0.8, 0.6, 0.5, 0.41, 0.2, 0.03];
        var states = Enumerable.Range(0, times.Length * 6).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        var expected = new float[states.Length];
        var actual = new float[states.Length];
        var started = times.Select(t => schedule.StartedGroups(t, t)).ToArray();
        exact.Predict(states, times, started, expected);
        network.Predict(states, times, started, actual);

        for (var i = 0; i < states.Length; i++)
            Assert.Equal(expected[i], actual[i], 4);
    }

    private sealed class ZeroNetwork(ImageShape shape) : IImageNetwork
    {
        public ImageShape Shape => shape;

        public void Run(ReadOnlySpan<float> pixels, ReadOnlySpan<float> times, Span<float> output) => output.Clear();
    }
}
