using Gdm.Api.Images;
using Gdm.Tests.Api.Endpoints;

namespace Gdm.Tests.Api.Images;

public sealed class LevelPicturesTests
{
    [Fact]
    public void The_parts_of_all_levels_add_up_to_the_image_and_each_part_holds_only_its_groups_coefficients()
    {
        var process = Uploads.Process;
        var random = new Random(5);
        var coefficients = Enumerable.Range(0, process.Shape.Size).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var image = new float[coefficients.Length];
        process.Transform.Inverse(coefficients, image);

        var parts = LevelPictures.Of(process, coefficients);

        Assert.Equal(process.Grouping.Count, parts.Count);
        for (var i = 0; i < image.Length; i++)
            Assert.Equal(image[i], parts.Sum(p => p.Pixels[i]), 1e-5);
        foreach (var part in parts)
        {
            var back = new float[coefficients.Length];
            process.Transform.Forward(part.Pixels, back);
            for (var i = 0; i < back.Length; i++)
                Assert.Equal(process.Grouping.GroupOf(i) == part.Group ? coefficients[i] : 0f, back[i], 1e-5);
            Assert.Equal(part.Pixels.Max(Math.Abs), part.Peak, 1e-9);
        }
    }

    [Fact]
    public void A_part_is_drawn_on_its_own_scale_with_zero_at_mid_grey_and_an_empty_part_is_plain_grey()
    {
        var process = Uploads.Process;
        var coefficients = new float[process.Shape.Size];
        coefficients[0] = 0.5f; // group 0 of dct-bands is the DC term alone: a constant part, +peak everywhere

        var parts = LevelPictures.Of(process, coefficients);

        Assert.All(parts[0].Levels(), level => Assert.Equal(255, level));
        Assert.All(parts[1].Levels(), level => Assert.Equal(128, level));
        Assert.Equal(0, parts[1].Peak);
    }
}
