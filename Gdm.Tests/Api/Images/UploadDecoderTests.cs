using Gdm.Api.Endpoints;
using Gdm.Api.Images;
using Gdm.Api.Options;
using Gdm.Tests.Api.Support;
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

    // The service's default byte limit: room for bombs of a few hundred KB.
    private static readonly UploadDecoder Roomy = new(new UploadLimits(MaxBytes: 4 << 20, MaxWidthPixels: 1024, MaxHeightPixels: 1024));

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
        Assert.Equal(image[17, 11], png.Image[17, 11].Rgb);
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
        using var image = new Image<Rgba32>(60, 30, new Rgba32(40, 60, 30));
        for (var y = 0; y < 30; y++)
            for (var x = 0; x < 15; x++)
                image[x, y] = new Rgba32(255, 255, 255); // a white left quarter, cropped away by a centre square crop
        using var upload = new DecodedUpload(image.Clone(), "PNG");
        var input = ModelImageConverter.Convert(upload, new ImageShape(1, 28, 28), -1, 1);
        var luma = 0.299 * 40 + 0.587 * 60 + 0.114 * 30;
        Assert.Equal(28 * 28, input.Pixels.Length);
        Assert.All(input.Pixels, p => Assert.InRange(p, -1 + luma * 2 / 255 - 0.1, -1 + luma * 2 / 255 + 0.1)); // bicubic lets a little white in at the crop's edge
        Assert.Contains("cropped", input.Report.Steps);
        Assert.Contains("converted to grey", input.Report.Steps);
        Assert.False(input.Report.Inverted);
        Assert.Equal((60, 30), (input.Report.OriginalWidth, input.Report.OriginalHeight));
    }

    [Fact]
    public void Conversion_to_rgb_keeps_channels_in_planes()
    {
        using var image = new Image<Rgba32>(4, 4, new Rgba32(255, 0, 51));
        using var upload = new DecodedUpload(image.Clone(), "PNG");
        var input = ModelImageConverter.Convert(upload, new ImageShape(3, 4, 4), -1, 1, BackgroundMode.Keep);
        Assert.All(input.Pixels.Take(16), p => Assert.Equal(1f, p, 1e-6f));
        Assert.All(input.Pixels.Skip(16).Take(16), p => Assert.Equal(-1f, p, 1e-6f));
        Assert.All(input.Pixels.Skip(32), p => Assert.Equal(-0.6f, p, 1e-6f));
        Assert.DoesNotContain("scaled", input.Report.Steps);
        Assert.DoesNotContain("grey", input.Report.Steps);
    }

    // A dark garment (level 60) photographed on white (250), grey as a scan is: what the model knows is the other way round.
    private static Image<Rgba32> GarmentOnWhite()
    {
        var image = new Image<Rgba32>(28, 28, new Rgba32(250, 250, 250));
        for (var y = 5; y < 23; y++)
            for (var x = 8; x < 20; x++)
                image[x, y] = new Rgba32(60, 60, 60);
        return image;
    }

    [Fact]
    public void Auto_inverts_a_garment_on_a_light_background_and_says_so_without_claiming_a_grey_conversion()
    {
        using var upload = new DecodedUpload(GarmentOnWhite(), "PNG");

        var auto = ModelImageConverter.Convert(upload, new ImageShape(1, 28, 28), -1, 1);
        var kept = ModelImageConverter.Convert(upload, new ImageShape(1, 28, 28), -1, 1, BackgroundMode.Keep);

        Assert.True(auto.Report.Inverted);
        Assert.Contains("inverted: the border is light (mean level 250 of 255; background auto)", auto.Report.Steps);
        Assert.DoesNotContain("grey", auto.Report.Steps);
        Assert.Equal(-1 + 5 * 2 / 255.0, auto.Pixels[0], 1e-5);           // the background, now dark
        Assert.Equal(-1 + 195 * 2 / 255.0, auto.Pixels[14 * 28 + 14], 1e-5); // the garment, now light
        Assert.False(kept.Report.Inverted);
        Assert.Contains("not inverted (background keep)", kept.Report.Steps);
        Assert.Equal(-1 + 250 * 2 / 255.0, kept.Pixels[0], 1e-5);
    }

    [Fact]
    public void Transparency_is_composited_on_black_the_models_background_whether_or_not_the_image_is_inverted()
    {
        // A light garment (level 200) on a transparent background whose hidden colour is white.
        using var image = new Image<Rgba32>(28, 28, new Rgba32(255, 255, 255, 0));
        for (var y = 5; y < 23; y++)
            for (var x = 8; x < 20; x++)
                image[x, y] = new Rgba32(200, 200, 200, 255);
        using var upload = new DecodedUpload(image, "PNG");

        var auto = ModelImageConverter.Convert(upload, new ImageShape(1, 28, 28), -1, 1);
        var inverted = ModelImageConverter.Convert(upload, new ImageShape(1, 28, 28), -1, 1, BackgroundMode.Invert);

        Assert.False(auto.Report.Inverted);
        Assert.Contains("composited its transparency on the model's background (black, -1)", auto.Report.Steps);
        Assert.Contains("not inverted: the border is dark (mean level 0 of 255; background auto)", auto.Report.Steps);
        Assert.Equal(-1f, auto.Pixels[0]);
        Assert.Equal(-1 + 200 * 2 / 255.0, auto.Pixels[14 * 28 + 14], 1e-5);
        Assert.True(inverted.Report.Inverted);
        Assert.Equal(-1f, inverted.Pixels[0]);
        Assert.Equal(-1 + 55 * 2 / 255.0, inverted.Pixels[14 * 28 + 14], 1e-5);
    }

    [Fact]
    public void A_png_with_an_alpha_channel_decodes_with_its_transparency()
    {
        using var image = new Image<Rgba32>(4, 4, new Rgba32(255, 255, 255, 0));
        image[1, 1] = new Rgba32(10, 20, 30, 255);
        using var decoded = Decoder.Decode(Encode(image, new PngEncoder()), "image");
        Assert.Equal(0, decoded.Image[0, 0].A);
        Assert.Equal(new Rgba32(10, 20, 30, 255), decoded.Image[1, 1]);
    }

    [Theory]
    [InlineData(3, 0, 0, 0, "bit depth 3")]
    [InlineData(8, 7, 0, 0, "colour type 7")]
    [InlineData(8, 0, 9, 0, "interlace method 9")]
    [InlineData(8, 0, 0, 1, "compression method 1")]
    public void A_png_header_outside_the_format_is_a_400_saying_which_field(byte bitDepth, byte colourType, byte interlace, byte compression, string named)
    {
        var good = new MalformedUploads(1).GoodPng;
        var header = MalformedUploads.Header(28, 28, bitDepth, colourType, interlace, compression);
        var file = MalformedUploads.Png(MalformedUploads.Chunk("IHDR", header), MalformedUploads.Idat(good), MalformedUploads.Chunk("IEND", []));

        var error = Assert.Throws<UploadRejectedException>(() => Decoder.Decode(file, "image"));

        Assert.Equal(400, error.StatusCode);
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void A_four_byte_ihdr_is_a_400()
    {
        var file = MalformedUploads.Png(MalformedUploads.Chunk("IHDR", [0, 0, 0, 28]), MalformedUploads.Chunk("IEND", []));
        var error = Assert.Throws<UploadRejectedException>(() => Decoder.Decode(file, "image"));
        Assert.Equal(400, error.StatusCode);
        Assert.Contains("IHDR chunk holds 4 bytes", error.Message);
    }

    [Fact]
    public void The_bombs_payload_really_inflates_to_256_MiB()
    {
        using var zlib = new System.IO.Compression.ZLibStream(new MemoryStream(MalformedUploads.Bomb), System.IO.Compression.CompressionMode.Decompress);
        var buffer = new byte[1 << 20];
        long total = 0;
        for (int read; (read = zlib.Read(buffer)) > 0;)
            total += read;
        Assert.Equal(256L << 20, total);
        Assert.True(MalformedUploads.Bomb.Length < 300_000);
    }

    [Theory]
    [InlineData("png-ztxt-bomb")]
    [InlineData("png-itxt-bomb")]
    [InlineData("png-ztxt-bad-deflate")]
    public void Text_chunks_are_dropped_unread_so_a_bomb_or_bad_deflate_in_them_leaves_the_image_intact(string kind)
    {
        var uploads = new MalformedUploads(3);
        var file = uploads.Make(kind);
        var header = Roomy.Inspect(file, "image");
        using var decoded = Roomy.Decode(header, "image");
        using var expected = Roomy.Decode(uploads.GoodPng, "image");

        Assert.Equal(Roomy.Inspect(uploads.GoodPng, "image").Bytes, header.Bytes);
        Assert.Equal(expected.Image[13, 9], decoded.Image[13, 9]);
    }

    [Fact]
    public void An_animated_png_of_5000_frames_is_a_413_before_decoding()
    {
        var error = Assert.Throws<UploadRejectedException>(() => Roomy.Inspect(new MalformedUploads(4).Make("png-animated-5000-frames"), "image"));
        Assert.Equal(413, error.StatusCode);
        Assert.Contains("animation frames", error.Message);
    }

    [Theory]
    [InlineData(0xC3, "lossless")]
    [InlineData(0xC7, "hierarchical")]
    [InlineData(0xCB, "lossless arithmetic")]
    public void A_jpeg_of_a_process_the_decoder_lacks_is_a_400_naming_the_process(byte marker, string named)
    {
        var jpeg = new MalformedUploads(5).GoodJpeg.ToArray();
        var at = jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]);
        jpeg[at + 1] = marker;
        var error = Assert.Throws<UploadRejectedException>(() => Decoder.Decode(jpeg, "image"));
        Assert.Equal(400, error.StatusCode);
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void A_jpeg_of_2000_scans_is_a_413_and_any_decoder_failure_after_the_header_is_a_400()
    {
        var uploads = new MalformedUploads(6);
        Assert.Equal(413, Assert.Throws<UploadRejectedException>(() => Roomy.Inspect(uploads.Make("jpeg-2000-scans"), "image")).StatusCode);
        // The arithmetic marker on Huffman data: the header is fine, the data cannot be what it claims.
        var arithmetic = uploads.GoodJpeg.ToArray();
        arithmetic[arithmetic.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]) + 1] = 0xC9;
        try
        {
            using var decoded = Decoder.Decode(arithmetic, "image");
        }
        catch (UploadRejectedException error)
        {
            Assert.Equal(400, error.StatusCode);
        }
    }

    [Fact]
    public async Task The_decode_gate_refuses_when_its_line_is_full_and_a_decode_waits_for_memory_until_it_is_given_back()
    {
        using var gate = new UploadDecodeGate(maxConcurrent: 2, maxQueued: 0, memoryBudgetBytes: 32L << 20);
        var first = await gate.EnterAsync(20L << 20, CancellationToken.None);
        var second = gate.EnterAsync(20L << 20, CancellationToken.None).AsTask();
        Assert.False(second.IsCompleted); // a decode slot is free, the memory is not

        await Assert.ThrowsAsync<UploadsBusyException>(async () => await gate.EnterAsync(1, CancellationToken.None));
        first.Dispose();
        (await second).Dispose();
        (await gate.EnterAsync(1, CancellationToken.None)).Dispose();
    }

    [Fact]
    public async Task A_decode_that_fits_a_budget_of_no_whole_number_of_MiB_is_admitted()
    {
        // The budget holds the largest decode in bytes; in MiB permits it must hold it too.
        var options = new UploadOptions { MaxImageBytes = 250_000, MaxWidthPixels = 1024, MaxHeightPixels = 1024, DecodeMemoryBudgetBytes = (16L << 20) + 800_000 };
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        Assert.True(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true), string.Join("; ", results));
        using var gate = new UploadDecodeGate(options.MaxConcurrentDecodes, options.MaxQueuedDecodes, options.DecodeMemoryBudgetBytes);
        var reader = new UploadReader(Microsoft.Extensions.Options.Options.Create(options), gate);
        using var image = new Image<L8>(1024, 1024);

        var converted = await reader.ConvertAsync(Encode(image, new PngEncoder()), "image", TestModels.Analytic(), BackgroundMode.Auto, CancellationToken.None);

        Assert.Equal(TestModels.Shape.Size, converted.Pixels.Length);
    }

    [Fact]
    public void A_decoder_failure_is_told_in_the_clients_words_not_the_decoders_insides()
    {
        // A legal JPEG (T.81 allows sampling factors 1 to 4) that the decoder cannot handle: Cb sampled 1x3.
        using var image = new Image<Rgb24>(40, 30, new Rgb24(90, 120, 30));
        var jpeg = Encode(image, new JpegEncoder { Quality = 90 });
        jpeg[jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]) + 14] = 0x13;

        var error = Assert.Throws<UploadRejectedException>(() => Roomy.Decode(jpeg, "image"));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("the JPEG image is corrupt or truncated: its data cannot be decoded", error.Message);
    }

    [Fact]
    public void The_memory_estimate_counts_the_file_as_received_and_the_text_it_keeps()
    {
        // 3 MB of tEXt: dropped from the bytes the decoder gets, yet held as received and as a string while it decodes.
        var png = MalformedUploads.WithChunks(new MalformedUploads(1).GoodPng, MalformedUploads.Chunk("tEXt", [.. "Comment\0"u8, .. new byte[3_000_000]]));

        var header = Roomy.Inspect(png, "image");

        Assert.True(header.EstimatedDecodeBytes >= 3L * png.Length - 100, $"estimate {header.EstimatedDecodeBytes} for a file of {png.Length}");
    }
}
