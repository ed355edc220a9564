using Gdm.Core;
using Gdm.Core.Sampling;

namespace Gdm.Tests.Core.Sampling;

/// <summary>
/// The closed-form optimal u for Gaussian data y ~ N(mu, Sigma) in coefficient space ("Tests that
/// need no trained network"): E[eps - y | y_t] = -mu + Cov(u, y_t) Cov(y_t)^-1 (y_t - (I - A) mu), with
/// Cov(y_t) = (I - A) Sigma (I - A) + A^2 and Cov(u, y_t) = A - Sigma (I - A). Honours causal-input like the network.
/// </summary>
public sealed class GaussianDenoiser(GdmProcess process, double[] mean, double[,] covariance) : IDenoiser
{
    public ImageShape Shape => process.Shape;

    public int Calls { get; private set; }

    public void Predict(ReadOnlySpan<float> states, ReadOnlySpan<double> times, ReadOnlySpan<int> startedGroups, Span<float> u)
    {
        Calls++;
        var d = Shape.Size;
        var groupOf = process.Grouping.GroupOfEachCoefficient;
        var a = new double[d];
        var cy = new double[d, d];
        var state = new float[d];
        for (var b = 0; b < times.Length; b++)
        {
            var t = times[b];
            states.Slice(b * d, d).CopyTo(state);
            process.HideUnstartedGroups(state, startedGroups[b]);
            for (var i = 0; i < d; i++)
                a[i] = process.Schedule.NoiseLevel(groupOf[i], t);
            for (var i = 0; i < d; i++)
                for (var j = 0; j < d; j++)
                    cy[i, j] = (1 - a[i]) * covariance[i, j] * (1 - a[j]) + (i == j ? a[i] * a[i] : 0);
            var residual = new double[d];
            for (var i = 0; i < d; i++)
                residual[i] = state[i] - (1 - a[i]) * mean[i];
            var z = Solve(cy, residual);
            for (var i = 0; i < d; i++)
            {
                var sum = -mean[i] + a[i] * z[i];
                for (var j = 0; j < d; j++)
                    sum -= covariance[i, j] * (1 - a[j]) * z[j];
                u[b * d + i] = (float)sum;
            }
        }
    }

    // Gaussian elimination with partial pivoting: Cov(y_t) is symmetric positive definite and tiny here.
    private static double[] Solve(double[,] matrix, double[] rhs)
    {
        var n = rhs.Length;
        var m = (double[,])matrix.Clone();
        var x = (double[])rhs.Clone();
        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < n; r++)
                if (Math.Abs(m[r, col]) > Math.Abs(m[pivot, col]))
                    pivot = r;
            if (pivot != col)
            {
                for (var c = 0; c < n; c++)
                    (m[col, c], m[pivot, c]) = (m[pivot, c], m[col, c]);
                (x[col], x[pivot]) = (x[pivot], x[col]);
            }

            for (var r = col + 1; r < n; r++)
            {
                var f = m[r, col] / m[col, col];
                if (f == 0)
                    continue;
                for (var c = col; c < n; c++)
                    m[r, c] -= f * m[col, c];
                x[r] -= f * x[col];
            }
        }

        for (var r = n - 1; r >= 0; r--)
        {
            var sum = x[r];
            for (var c = r + 1; c < n; c++)
                sum -= m[r, c] * x[c];
            x[r] = sum / m[r, r];
        }

        return x;
    }
}
