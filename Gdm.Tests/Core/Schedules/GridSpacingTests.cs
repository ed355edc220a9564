using Gdm.Core.Schedules;

namespace Gdm.Tests.Core.Schedules;

public sealed class GridSpacingTests
{
    [Theory]
    [InlineData("uniform")]
    [InlineData("band-warp:1")]
    [InlineData("band-warp:0.5")]
    [InlineData("band-warp:2")]
    public void The_canonical_name_parses_back_to_the_same_grid(string name)
    {
        var spacing = GridSpacing.Parse(name);
        Assert.Equal(name, spacing.Name);
        Assert.Equal(spacing, GridSpacing.Parse(spacing.Name));
    }

    [Fact]
    public void Another_spelling_of_the_reference_std_has_the_one_canonical_name()
    {
        Assert.Equal("band-warp:1", GridSpacing.Parse("band-warp:1.0").Name);
        Assert.Equal(GridSpacing.Warped(0.5), GridSpacing.Parse("band-warp:5e-1"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Uniform")]
    [InlineData("band-warp")]
    [InlineData("band-warp:0")]
    [InlineData("band-warp:-1")]
    [InlineData("band-warp:x")]
    [InlineData("band-warp:1e-308")] // a shift of std / 1e-308 overflows to infinity
    [InlineData("band-warp:1e300")]  // a shift near 0 collapses a group's steps onto one time
    public void An_unknown_name_is_refused_with_the_names_that_exist(string name)
    {
        var error = Assert.Throws<FormatException>(() => GridSpacing.Parse(name));
        Assert.Contains("band-warp:SIGMA_REF", error.Message);
    }

    [Fact]
    public void Band_warp_shifts_are_each_groups_std_over_the_reference()
    {
        Assert.Equal([4.0, 1.0, 0.25], GridSpacing.Parse("band-warp:2").Shifts(3, [8, 2, 0.5]));
        Assert.Equal([1.0, 1.0], GridSpacing.Uniform.Shifts(2, null));
    }

    [Fact]
    public void Band_warp_without_data_statistics_is_refused_naming_the_way_out()
    {
        var error = Assert.Throws<ArgumentException>(() => GridSpacing.Warped(1).Shifts(3, null));
        Assert.Contains("use grid uniform", error.Message);
    }
}
