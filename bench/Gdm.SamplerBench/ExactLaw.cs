using Gdm.Core.Grouping;
using Gdm.Core.Measures;
using Gdm.Core.Sampling;
using Gdm.Core.Schedules;

namespace Gdm.SamplerBench;

/// <summary>
/// The exact output law of a sampler on a Gaussian target with a perfect denoiser, for one grouping. While group g is
/// generated, groups before it are finished and fixed, later ones are hidden noise, and u on group g is the exact
/// conditional one: y_g given the finished prefix y_P is N(mu_g + K_g (y_P - mu_P), S_g) with K_g = Sigma_gP Sigma_PP^-1
/// and S_g the Schur complement. In S_g's eigenbasis V_g every coordinate is an independent 1-D Gaussian, on which
/// the sampler acts as the measured ScalarResponse; hence y_g = M_g eps_g + R_g (mu_g + K_g (y_P - mu_P)) with
/// M_g = V_g diag(Gain) V_g^T and R_g = V_g diag(MeanGain) V_g^T, and the whole output is affine in eps: N(c, L L^T).
/// </summary>
public sealed class ExactLaw
{
    private readonly GaussianTarget _target;
    private readonly CoefficientGrouping _grouping;
    private readonly GroupCondition[] _conditions;
    private readonly double[] _slotVariance;

    public ExactLaw(GaussianTarget target, CoefficientGrouping grouping)
    {
        _target = target;
        _grouping = grouping;
        _conditions = new GroupCondition[grouping.Count];
        _slotVariance = new double[target.Shape.Size];
        var prefix = new List<int>();
        foreach (var group in grouping.Groups)
        {
            var indices = group.Indices;
            var sigmaGg = Dense.Block(target.Covariance, indices, indices);
            double[,] k;
            double[,] schur;
            if (prefix.Count == 0)
            {
                k = new double[indices.Count, 0];
                schur = sigmaGg;
            }
            else
            {
                var sigmaPg = Dense.Block(target.Covariance, prefix, indices);
                k = Dense.Transpose(Dense.SolveSymmetric(Dense.Block(target.Covariance, prefix, prefix), sigmaPg));
                var explained = Dense.Multiply(k, sigmaPg);
                schur = new double[indices.Count, indices.Count];
                for (var i = 0; i < indices.Count; i++)
                    for (var j = 0; j < indices.Count; j++)
                        schur[i, j] = sigmaGg[i, j] - 0.5 * (explained[i, j] + explained[j, i]);
            }

            var (values, vectors) = SymmetricEigen.Decompose(schur);
            _conditions[group.Index] = new GroupCondition(indices.ToArray(), prefix.ToArray(), k, vectors);
            // Eigen-coordinate j of group g takes the place of the group's j-th coefficient in the diagonal problem.
            for (var j = 0; j < indices.Count; j++)
                _slotVariance[indices[j]] = Math.Max(values[j], 1e-12);
            prefix.AddRange(indices);
        }
    }

    public (double[] Mean, double[,] Covariance) Of(SamplerKind sampler, TimeGrid grid)
    {
        var response = ScalarResponse.Measure(_grouping, _slotVariance, sampler, grid);
        var d = _target.Shape.Size;
        var map = new double[d, d];   // L: output = L eps + c
        var offset = new double[d];
        foreach (var condition in _conditions)
        {
            var indices = condition.Indices;
            var gain = indices.Select(i => response.Gain[i]).ToArray();
            var meanGain = indices.Select(i => response.MeanGain[i]).ToArray();
            var m = Dense.FromEigen(condition.Vectors, gain);
            var r = Dense.FromEigen(condition.Vectors, meanGain);

            // Conditional mean of the group given the produced prefix: mu_g + K_g (c_P - mu_P) + K_g L_P eps.
            var conditionalMean = indices.Select(i => _target.Mean[i]).ToArray();
            if (condition.Prefix.Length > 0)
            {
                var prefixError = condition.Prefix.Select(p => offset[p] - _target.Mean[p]).ToArray();
                var shift = Dense.Multiply(condition.K, prefixError);
                for (var i = 0; i < indices.Length; i++)
                    conditionalMean[i] += shift[i];
                var prefixMap = Dense.Block(map, condition.Prefix, Enumerable.Range(0, d).ToArray());
                var carried = Dense.Multiply(Dense.Multiply(r, condition.K), prefixMap);
                for (var i = 0; i < indices.Length; i++)
                    for (var j = 0; j < d; j++)
                        map[indices[i], j] = carried[i, j];
            }

            var groupOffset = Dense.Multiply(r, conditionalMean);
            for (var i = 0; i < indices.Length; i++)
            {
                offset[indices[i]] = groupOffset[i];
                for (var j = 0; j < indices.Length; j++)
                    map[indices[i], indices[j]] = m[i, j];
            }
        }

        return (offset, Dense.Multiply(map, Dense.Transpose(map)));
    }

    private sealed record GroupCondition(int[] Indices, int[] Prefix, double[,] K, double[,] Vectors);
}
