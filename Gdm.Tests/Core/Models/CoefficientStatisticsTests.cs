using Gdm.Core;
using Gdm.Core.Grouping;
using Gdm.Core.Models;
using Gdm.Core.Transforms;

namespace Gdm.Tests.Core.Models;

public sealed class CoefficientStatisticsTests
{
    private static readonly ImageShape Shape = new(1, 2, 2);

    [Fact]
    public void Mean_std_and_group_rms_std_are_those_of_the_coefficients()
    {
        // Pixel space (identity) with two row groups: coefficient i is pixel i.
        var grouping = CoefficientGrouping.Rows(Shape, 2, RowOrder.TopDown);
        float[][] images = [[1, 0, 2, -1], [3, 0, -2, -1]];

        var statistics = CoefficientStatistics.Measure(new IdentityTransform(Shape), grouping, images, "two images");

        Assert.Equal(2, statistics.Images);
        Assert.Equal([2f, 0f, 0f, -1f], statistics.Mean);
        Assert.Equal([1f, 0f, 2f, 0f], statistics.Std);
        var top = grouping.GroupOf(0);
        Assert.Equal(MathF.Sqrt(0.5f), statistics.GroupStd[top], 6);
        Assert.Equal(MathF.Sqrt(2f), statistics.GroupStd[1 - top], 6);
    }

    [Fact]
    public void The_dct_mean_of_a_constant_image_sits_in_the_dc_coefficient_only()
    {
        var grouping = CoefficientGrouping.DctBands(Shape);
        float[][] images = [[0.5f, 0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f, 0.5f]];

        var statistics = CoefficientStatistics.Measure(new DctTransform(Shape), grouping, images, "constant");

        Assert.Equal(1.0, statistics.Mean[0], 6); // orthonormal DC of a 2x2 image: 2 x its mean pixel
        Assert.All(statistics.Mean.Skip(1), m => Assert.Equal(0.0, m, 6));
        Assert.All(statistics.Std, s => Assert.Equal(0.0, s, 6));
    }
}
