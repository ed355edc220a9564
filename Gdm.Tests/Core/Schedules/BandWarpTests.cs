using Gdm.Core.Schedules;

namespace Gdm.Tests.Core.Schedules;

public sealed class BandWarpTests
{
    [Theory]
    [InlineData(0.03)]
    [InlineData(0.5)]
    [InlineData(1)]
    [InlineData(7)]
    public void Keeps_the_ends_and_rises_monotonically(double shift)
    {
        Assert.Equal(0.0, BandWarp.NoiseLevel(shift, 0));
        Assert.Equal(1.0, BandWarp.NoiseLevel(shift, 1));
        var previous = 0.0;
        for (var i = 1; i <= 100; i++)
        {
            var a = BandWarp.NoiseLevel(shift, i / 100.0);
            Assert.True(a > previous, $"a({i / 100.0}) = {a} is not above {previous}");
            previous = a;
        }
    }

    [Fact]
    public void Shift_1_is_the_identity()
    {
        for (var i = 0; i <= 64; i++)
            Assert.Equal(i / 64.0, BandWarp.NoiseLevel(1, i / 64.0));
    }

    [Theory]
    [InlineData(0.22)]
    [InlineData(2.35)]
    [InlineData(7.06)]
    public void At_sigma_ref_1_the_middle_of_tau_is_where_the_bands_signal_to_noise_ratio_is_1(double sigma)
    {
        var a = BandWarp.NoiseLevel(BandWarp.Shift(sigma, 1), 0.5);
        Assert.Equal(1.0, (1 - a) * sigma / a, 12);
    }

    [Fact]
    public void Tau_inverts_the_noise_level()
    {
        foreach (var shift in new[] { 0.1, 1.0, 3.0 })
            for (var i = 0; i <= 10; i++)
                Assert.Equal(i / 10.0, BandWarp.Tau(shift, BandWarp.NoiseLevel(shift, i / 10.0)), 12);
    }

    [Fact]
    public void A_shift_that_is_not_positive_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BandWarp.NoiseLevel(0, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => BandWarp.Shift(-1, 1));
    }
}
