using Gdm.Core.Measures;

namespace Gdm.Tests.Core.Measures;

public sealed class FrechetDistanceTests
{
    [Fact]
    public void Eigen_decomposition_rebuilds_the_matrix_and_the_square_root_squares_back()
    {
        double[,] s = { { 4, 1, 0.5 }, { 1, 3, 0.2 }, { 0.5, 0.2, 2 } };
        var root = SymmetricEigen.SquareRoot(s);
        for (var i = 0; i < 3; i++)
            for (var j = 0; j < 3; j++)
            {
                var square = 0.0;
                for (var k = 0; k < 3; k++)
                    square += root[i, k] * root[k, j];
                Assert.Equal(s[i, j], square, 1e-10);
            }
    }

    [Fact]
    public void Distance_between_diagonal_gaussians_has_its_closed_form()
    {
        // For commuting covariances: |dmu|^2 + sum (sqrt(a_i) - sqrt(b_i))^2.
        var first = new FeatureStatistics([0, 0], new double[,] { { 4, 0 }, { 0, 1 } }, 100);
        var second = new FeatureStatistics([3, 4], new double[,] { { 1, 0 }, { 0, 9 } }, 100);
        Assert.Equal(25 + 1 + 4, FrechetDistance.Between(first, second), 1e-9);
    }

    [Fact]
    public void Distance_of_a_set_to_itself_is_zero_and_grows_with_a_shift()
    {
        var random = new Random(3);
        var features = Enumerable.Range(0, 500).Select(_ => Enumerable.Range(0, 8).Select(_ => (float)random.NextDouble()).ToArray()).ToArray();
        var stats = FeatureStatistics.Of(features);
        Assert.Equal(0, FrechetDistance.Between(stats, stats), 1e-8);
        var shifted = FeatureStatistics.Of(features.Select(f => f.Select(v => v + 0.5f).ToArray()).ToArray());
        Assert.Equal(8 * 0.25, FrechetDistance.Between(stats, shifted), 1e-6);
    }
}
