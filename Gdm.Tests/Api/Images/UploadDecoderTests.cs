using Gdm.Api.Images;
using Gdm.Core;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Gdm.Tests.Api.Images;

public sealed class UploadDecoderTests
{
    private static readonly UploadDecoder Decoder = new(new UploadLimits(MaxBytes: 200_000, MaxWidthPixels: 1024, MaxHeightPixels: 1024));

    internal static byte[] Encode(Image image, SixLabors.ImageSharp.Formats.IImageEncoder encoder)
    {
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }

    internal static Image<Rgb24> Gradient(int width, int height)
    {
        var image = new Image<Rgb24>(width, height);
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                image[x, y] = new Rgb24((byte)(x * 255 / Math.Max(1, width - 1)), (byte)(y * 255 / Math.Max(1, height - 1)), 128);
        return image;
    }

    [Fact]
    public void A_png_and_a_jpeg_decode_with_their_format_named()
    {
        using var image = Gradient(40, 30);
        using var png = Decoder.Decode(Encode(image, new PngEncoder()), "image");
        using var jpeg = Decoder.Decode(Encode(image, new JpegEncoder { Quality = 95 }), "image");
        Assert.Equal("PNG", png.Format);
        Assert.Equal("JPEG", jpeg.Format);
        Assert.Equal(image[17, 11], png.Image[17, 11]);
        Assert.Equal((40, 30), (jpeg.Image.Width, jpeg.Image.Height));
    }

    [Fact]
    public void A_gif_is_refused_as_not_png_or_jpeg()
    {
        using var image = Gradient(8, 8);
        var error = Assert.Throws<UploadRejectedException>(() => Decoder.Decode(Encode(image, new GifEncoder()), "image"));
        Assert.Equal(400, error.StatusCode);
        Assert.Contains("PNG or JPEG", error.Message);
    }

    [Fact]
    public void Random_bytes_are_refused()
    {
        var bytes = new byte[500];
        new Random(2).NextBytes(bytes);
        var error = Assert.Throws<UploadRejectedException>(() => Decoder.Decode(bytes, "image"));
        Assert.Equal(400, error.StatusCode);
        Assert.Equal("image", error.Field);
    }

    [Fact]
    public void A_truncated_png_is_refused_as_corrupt()
    {
        using var image = Gradient(64, 64);
        var bytes = Encode(image, new PngEncoder());
        var error = Assert.Throws<UploadRejectedException>(() => Decoder.Decode(bytes.AsMemory(0, bytes.Length / 2), "image"));
        Assert.Equal(400, error.StatusCode);
    }

    [Fact]
    public void Too_many_bytes_are_refused_with_413_before_decoding()
    {
        var error = Assert.Throws<UploadRejectedException>(() => Decoder.Decode(new byte[200_001], "image"));
        Assert.Equal(413, error.StatusCode);
        Assert.Contains("200000", error.Message);
    }

    [Fact]
    public void A_small_file_declaring_too_many_pixels_is_refused_with_413()
    {
        using var image = new Image<Rgb24>(2000, 50); // one colour: a few hundred bytes of PNG
        var bytes = Encode(image, new PngEncoder());
        Assert.True(bytes.Length < 200_000);
        var error = Assert.Throws<UploadRejectedException>(() => Decoder.Decode(bytes, "image"));
        Assert.Equal(413, error.StatusCode);
        Assert.Contains("2000x50", error.Message);
    }

    [Fact]
    public void Conversion_covers_the_model_size_crops_the_centre_and_maps_to_the_value_range()
    {
        using var image = new Image<Rgb24>(60, 30, new Rgb24(255, 255, 255));
        for (var y = 0; y < 30; y++)
            for (var x = 0; x < 15; x++)
                image[x, y] = new Rgb24(0, 0, 0); // a black left quarter, cropped away by a centre square crop
        using var upload = new DecodedUpload(image.Clone(), "PNG");
        var input = ModelImageConverter.Convert(upload, new ImageShape(1, 28, 28), -1, 1);
        Assert.Equal(28 * 28, input.Pixels.Length);
        Assert.All(input.Pixels, p => Assert.InRange(p, 0.9f, 1.0001f));
        Assert.Contains("cropped", input.Report.Steps);
        Assert.Contains("grey", input.Report.Steps);
        Assert.Equal((60, 30), (input.Report.OriginalWidth, input.Report.OriginalHeight));
    }

    [Fact]
    public void Conversion_to_rgb_keeps_channels_in_planes()
    {
        using var image = new Image<Rgb24>(4, 4, new Rgb24(255, 0, 51));
        using var upload = new DecodedUpload(image.Clone(), "PNG");
        var input = ModelImageConverter.Convert(upload, new ImageShape(3, 4, 4), -1, 1);
        Assert.All(input.Pixels.Take(16), p => Assert.Equal(1f, p, 1e-6f));
        Assert.All(input.Pixels.Skip(16).Take(16), p => Assert.Equal(-1f, p, 1e-6f));
        Assert.All(input.Pixels.Skip(32), p => Assert.Equal(-0.6f, p, 1e-6f));
        Assert.DoesNotContain("scaled", input.Report.Steps);
    }
}
