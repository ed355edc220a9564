using Gdm.Core;
using Gdm.Core.Sampling;

namespace Gdm.SamplerBench;

/// <summary>
/// The exact u for independent coordinates y_i ~ N(nu_i, lambda_i): with a the coordinate's noise level,
/// u = E[eps - y | y_t] = -nu + k (y_t - (1 - a) nu), k = (a - (1 - a) lambda) / ((1 - a)^2 lambda + a^2).
/// </summary>
public sealed class DiagonalGaussianDenoiser(GdmProcess process, double[] mean, double[] variance) : IDenoiser
{
    public ImageShape Shape => process.Shape;

    public void Predict(ReadOnlySpan<float> states, ReadOnlySpan<double> times, ReadOnlySpan<int> startedGroups, Span<float> u)
    {
        var d = Shape.Size;
        var groupOf = process.Grouping.GroupOfEachCoefficient;
        for (var b = 0; b < times.Length; b++)
            for (var i = 0; i < d; i++)
            {
                var a = process.Schedule.NoiseLevel(groupOf[i], times[b]);
                var k = (a - (1 - a) * variance[i]) / ((1 - a) * (1 - a) * variance[i] + a * a);
                u[b * d + i] = (float)(-mean[i] + k * (states[b * d + i] - (1 - a) * mean[i]));
            }
    }
}
