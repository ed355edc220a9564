using Gdm.Core;
using Gdm.Core.Transforms;

namespace Gdm.Tests.Core.Transforms;

public sealed class DctTransformTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(28)]
    [InlineData(32)]
    public void Basis_matrix_is_orthonormal(int n)
    {
        var d = DctTransform.BasisMatrix(n);
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
            {
                var dot = 0.0;
                for (var k = 0; k < n; k++)
                    dot += d[i * n + k] * d[j * n + k];
                Assert.Equal(i == j ? 1.0 : 0.0, dot, 1e-12);
            }
    }

    [Theory]
    [InlineData(1, 28, 28)]
    [InlineData(3, 8, 6)]
    [InlineData(3, 32, 32)]
    public void Round_trip_of_a_batch_returns_the_pixels_within_1e_5_and_keeps_the_norm(int channels, int height, int width)
    {
        var shape = new ImageShape(channels, height, width);
        var transform = new DctTransform(shape);
        var random = new Random(1);
        var pixels = Enumerable.Range(0, 3 * shape.Size).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var coefficients = new float[pixels.Length];
        var back = new float[pixels.Length];
        transform.Forward(pixels, coefficients);
        transform.Inverse(coefficients, back);
        Assert.InRange(pixels.Zip(back, (a, b) => Math.Abs(a - b)).Max(), 0, 1e-5);
        var normIn = pixels.Sum(p => (double)p * p);
        var normOut = coefficients.Sum(c => (double)c * c);
        Assert.Equal(normIn, normOut, normIn * 1e-5);
    }

    [Fact]
    public void A_constant_image_has_only_a_DC_coefficient_per_channel()
    {
        var shape = new ImageShape(3, 4, 5);
        var pixels = Enumerable.Range(0, shape.Size).Select(i => i < shape.PlaneSize ? 0.5f : -0.25f).ToArray();
        var coefficients = new float[shape.Size];
        new DctTransform(shape).Forward(pixels, coefficients);
        for (var i = 0; i < shape.Size; i++)
        {
            var isDc = i % shape.PlaneSize == 0;
            var expected = !isDc ? 0 : (i == 0 ? 0.5 : -0.25) * Math.Sqrt(shape.PlaneSize);
            Assert.Equal(expected, coefficients[i], 1e-5);
        }
    }

    [Fact]
    public void A_horizontal_cosine_lands_on_its_horizontal_frequency()
    {
        var shape = new ImageShape(1, 8, 8);
        var d = DctTransform.BasisMatrix(8);
        var pixels = new float[64];
        for (var r = 0; r < 8; r++)
            for (var c = 0; c < 8; c++)
                pixels[r * 8 + c] = (float)(d[0 * 8 + r] * d[3 * 8 + c]);
        var coefficients = new float[64];
        new DctTransform(shape).Forward(pixels, coefficients);
        Assert.Equal(1.0, coefficients[0 * 8 + 3], 1e-6); // row u = 0 (vertical), column v = 3 (horizontal)
        Assert.Equal(1.0, coefficients.Sum(c => (double)c * c), 1e-6);
    }

    [Fact]
    public void Identity_transform_copies_and_rejects_a_partial_image()
    {
        var transform = new IdentityTransform(new ImageShape(1, 2, 2));
        var output = new float[4];
        transform.Forward([1, 2, 3, 4], output);
        Assert.Equal([1, 2, 3, 4], output);
        var error = Assert.Throws<ArgumentException>(() => transform.Forward([1, 2, 3], new float[3]));
        Assert.Contains("not a whole number", error.Message);
    }
}
