using Gdm.Core;
using Gdm.Core.Grouping;
using Gdm.Core.Noise;

namespace Gdm.Tests.Core.Noise;

public sealed class LatentNoiseTests
{
    private static readonly CoefficientGrouping Bands = CoefficientGrouping.DctBands(new ImageShape(3, 16, 16));

    [Fact]
    public void A_groups_noise_is_a_pure_function_of_seed_group_and_coefficient()
    {
        var first = new float[Bands.Shape.Size];
        var second = new float[Bands.Shape.Size];
        var group = Bands.Groups[3];
        LatentNoise.FillGroup(42, group, first);
        LatentNoise.FillGroup(41, Bands.Groups[2], second); // other work in between changes nothing
        LatentNoise.FillGroup(42, group, second);
        foreach (var i in group.Indices)
        {
            Assert.Equal(first[i], second[i]);
            Assert.Equal(first[i], LatentNoise.Sample(42, 3, i));
        }
    }

    [Fact]
    public void Different_seeds_and_groups_give_different_noise()
    {
        Assert.NotEqual(LatentNoise.Sample(1, 0, 5), LatentNoise.Sample(2, 0, 5));
        Assert.NotEqual(LatentNoise.Sample(1, 0, 5), LatentNoise.Sample(1, 1, 5));
        Assert.NotEqual(LatentNoise.Sample(1, 0, 5), LatentNoise.Sample(1, 0, 6));
    }

    [Fact]
    public void Noise_is_standard_normal()
    {
        const int count = 200_000;
        double sum = 0, squares = 0, fourth = 0;
        var beyondTwo = 0;
        for (var i = 0; i < count; i++)
        {
            double z = LatentNoise.Sample(7, i % 5, i);
            sum += z;
            squares += z * z;
            fourth += z * z * z * z;
            if (Math.Abs(z) > 2)
                beyondTwo++;
        }

        // Standard errors at n = 200,000: mean 0.0022, variance 0.0032, fourth moment 0.055, tail fraction 0.0005.
        Assert.Equal(0, sum / count, 0.01);
        Assert.Equal(1, squares / count, 0.015);
        Assert.Equal(3, fourth / count, 0.25);
        Assert.Equal(0.0455, (double)beyondTwo / count, 0.003);
    }
}
