using Gdm.Core.Models;

namespace Gdm.Core.Sampling;

/// <summary>
/// Per-coefficient preconditioning of u, the c_skip / c_out idea of EDM (Karras et al. 2022, "Elucidating the
/// design space of diffusion-based generative models") applied to the u target with each coefficient's own mean mu
/// and std sigma from the training set:
///   u = u_lin + c(a) F,   u_lin = -mu + k(a) (y_t - (1 - a) mu),
///   k(a) = (a - (1 - a) sigma^2) / D,   c(a) = sigma / sqrt(D),   D = (1 - a)^2 sigma^2 + a^2 = Var[y_t].
/// For y ~ N(mu, sigma^2) (independent coefficients) u_lin is exactly E[eps - y | y_t], the regression of eps - y on
/// y_t (Cov(eps - y, y_t) = a - (1 - a) sigma^2), and c(a)^2 = Var[eps - y | y_t] = sigma^2 / D, so the network's
/// part F has mean 0 and variance 1 at every noise level: it only has to learn what the data hold beyond their
/// per-coefficient Gaussian fit, and the trainer regresses F on F* = (eps - y - u_lin) / c(a).
/// </summary>
public sealed class Preconditioning
{
    /// <summary>Floor of sigma: D = sigma^2 at a = 0, so a coefficient that never varies would divide by zero.</summary>
    public const double MinimumStd = 1e-4;

    private readonly double[] _mean;
    private readonly double[] _std;

    public Preconditioning(CoefficientStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        if (statistics.Mean.Count != statistics.Std.Count)
            throw new ArgumentException($"statistics hold {statistics.Mean.Count} means but {statistics.Std.Count} deviations");
        Statistics = statistics;
        _mean = statistics.Mean.Select(m => (double)m).ToArray();
        _std = statistics.Std.Select(s => Math.Max(MinimumStd, s)).ToArray();
    }

    public CoefficientStatistics Statistics { get; }

    public int Coefficients => _mean.Length;

    /// <summary>k(a) = (a - (1 - a) sigma^2) / ((1 - a)^2 sigma^2 + a^2): -1 at a = 0 (u = eps - y_t), 1 at a = 1.</summary>
    public static double Gain(double a, double sigma) =>
        (a - (1 - a) * sigma * sigma) / Variance(a, sigma);

    /// <summary>c(a) = sigma / sqrt((1 - a)^2 sigma^2 + a^2): 1 at a = 0, sigma at a = 1.</summary>
    public static double Scale(double a, double sigma) => sigma / Math.Sqrt(Variance(a, sigma));

    /// <summary>The std of coefficient i as the formulas use it (floored at MinimumStd).</summary>
    public double Std(int coefficient) => _std[coefficient];

    public double Mean(int coefficient) => _mean[coefficient];

    /// <summary>u_lin of coefficient i at noise level a and state y_t.</summary>
    public double Linear(int coefficient, double a, double state)
    {
        double mu = _mean[coefficient], sigma = _std[coefficient];
        return -mu + Gain(a, sigma) * (state - (1 - a) * mu);
    }

    /// <summary>u = u_lin + c(a) F for one image; levels holds a of each coefficient. u may be the residual's own span.</summary>
    public void Apply(ReadOnlySpan<float> state, ReadOnlySpan<double> levels, ReadOnlySpan<float> residual, Span<float> u)
    {
        if (state.Length != _mean.Length || levels.Length != state.Length || residual.Length != state.Length || u.Length != state.Length)
            throw new ArgumentException($"preconditioning works on {_mean.Length} coefficients per image");
        for (var i = 0; i < u.Length; i++)
        {
            var a = levels[i];
            u[i] = (float)(Linear(i, a, state[i]) + Scale(a, _std[i]) * residual[i]);
        }
    }

    private static double Variance(double a, double sigma) => (1 - a) * (1 - a) * sigma * sigma + a * a;
}
