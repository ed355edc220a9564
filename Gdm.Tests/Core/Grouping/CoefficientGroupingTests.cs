using Gdm.Core;
using Gdm.Core.Grouping;

namespace Gdm.Tests.Core.Grouping;

public sealed class CoefficientGroupingTests
{
    public static TheoryData<string, int, int, int> Specs => new()
    {
        { "dct-bands", 1, 28, 28 },
        { "dct-bands:0,2,7,28", 1, 28, 28 },
        { "dct-bands", 3, 32, 32 },
        { "dct-bands", 3, 6, 10 },
        { "rows:4", 1, 28, 28 },
        { "rows:3:top-down", 3, 32, 32 },
        { "rows:5:bottom-up", 1, 7, 3 },
        { "patches:4", 1, 28, 28 },
        { "patches:1", 3, 4, 4 },
        { "single", 3, 32, 32 },
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void Every_coefficient_is_in_exactly_one_group(string spec, int channels, int height, int width)
    {
        var shape = new ImageShape(channels, height, width);
        var grouping = CoefficientGrouping.Parse(spec, shape);
        var seen = new int[shape.Size];
        foreach (var group in grouping.Groups)
            foreach (var i in group.Indices)
            {
                seen[i]++;
                Assert.Equal(group.Index, grouping.GroupOf(i));
            }

        Assert.All(seen, count => Assert.Equal(1, count));
        Assert.Equal(Enumerable.Range(0, grouping.Count), grouping.Groups.Select(g => g.Index));
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void The_canonical_spec_parses_back_to_the_same_grouping(string spec, int channels, int height, int width)
    {
        var shape = new ImageShape(channels, height, width);
        var grouping = CoefficientGrouping.Parse(spec, shape);
        var again = CoefficientGrouping.Parse(grouping.Spec, shape);
        Assert.Equal(grouping.Spec, again.Spec);
        Assert.Equal(grouping.GroupOfEachCoefficient.ToArray(), again.GroupOfEachCoefficient.ToArray());
    }

    [Fact]
    public void Dyadic_bands_of_28x28_go_from_the_DC_term_to_the_finest_band()
    {
        var grouping = CoefficientGrouping.DctBands(new ImageShape(1, 28, 28));
        Assert.Equal("dct-bands:0,1,2,4,8,16,28", grouping.Spec);
        // max(u, v) in [a, b) holds b^2 - a^2 coefficients.
        Assert.Equal([1, 3, 12, 48, 192, 528], grouping.Groups.Select(g => g.Size));
        Assert.Equal([0], grouping.Groups[0].Indices);
    }

    [Fact]
    public void Bottom_up_rows_generate_the_bottom_stripe_first()
    {
        var shape = new ImageShape(1, 6, 2);
        var grouping = CoefficientGrouping.Rows(shape, 3, RowOrder.BottomUp);
        Assert.Equal([8, 9, 10, 11], grouping.Groups[0].Indices);
        Assert.Equal([0, 1, 2, 3], grouping.Groups[2].Indices);
    }

    [Fact]
    public void Pixel_patches_make_one_group_per_pixel_in_raster_order()
    {
        var grouping = CoefficientGrouping.Patches(new ImageShape(1, 3, 3), 1);
        Assert.Equal(9, grouping.Count);
        Assert.Equal(Enumerable.Range(0, 9), grouping.Groups.Select(g => g.Indices.Single()));
    }

    [Fact]
    public void Single_is_one_group_of_every_coefficient()
    {
        var grouping = CoefficientGrouping.Parse("single", new ImageShape(3, 4, 4));
        Assert.Equal(48, grouping.Groups.Single().Size);
    }

    [Theory]
    [InlineData("dct-bands:0,1,1,28", "must increase")]
    [InlineData("dct-bands:1,28", "must start at 0")]
    [InlineData("dct-bands:0,8", "end at 28")]
    [InlineData("rows:0", "between 1 and 28")]
    [InlineData("rows:2:sideways", "top-down or bottom-up")]
    [InlineData("patches:5", "must divide")]
    [InlineData("bands", "not understood")]
    [InlineData("rows:x", "not a whole number")]
    public void A_bad_spec_is_refused_with_a_message_that_says_why(string spec, string message)
    {
        var error = Assert.ThrowsAny<Exception>(() => CoefficientGrouping.Parse(spec, new ImageShape(1, 28, 28)));
        Assert.Contains(message, error.Message);
    }
}
