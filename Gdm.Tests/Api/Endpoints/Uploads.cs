using System.Net.Http.Headers;
using System.Text.Json;
using Gdm.Api.Images;
using Gdm.Core;
using Gdm.Tests.Api.Support;

namespace Gdm.Tests.Api.Endpoints;

/// <summary>Images to upload in tests, and what the test model sees of them.</summary>
public static class Uploads
{
    public static readonly GdmProcess Process = TestModel.Manifest.ToProcess();

    public static ImageShape Shape => Process.Shape;

    private static double Min => TestModel.Manifest.ValueRange[0];

    private static double Max => TestModel.Manifest.ValueRange[1];

    /// <summary>One 8-bit grey level in the value range.</summary>
    public static double Level => (Max - Min) / 255;

    /// <summary>A smooth pattern inside the value range (pixels, C x H x W): a lit ellipse with a tilted gradient.</summary>
    public static float[] Pattern(double tilt)
    {
        var pixels = new float[Shape.Size];
        for (var y = 0; y < Shape.Height; y++)
            for (var x = 0; x < Shape.Width; x++)
            {
                double u = (x + 0.5) / Shape.Width - 0.5, v = (y + 0.5) / Shape.Height - 0.5;
                var inside = Math.Clamp((0.16 - (u * u / 0.8 + v * v)) / 0.04, 0, 1);
                var value = -0.9 + 1.6 * inside * (0.75 + tilt * u + 0.2 * Math.Sin(7 * v));
                pixels[y * Shape.Width + x] = (float)Math.Clamp(value, Min, Max);
            }

        return pixels;
    }

    public static byte[] Quantise(ReadOnlySpan<float> pixels) => PixelQuantizer.ToBytes(pixels, Min, Max);

    public static byte[] Png(byte[] levels) => PngWriter.Encode(levels, Shape, "Comment", "test upload");

    /// <summary>The pixels the service makes of a grey 8-bit upload of these levels.</summary>
    public static float[] Dequantise(byte[] levels) => levels.Select(l => (float)(Min + l * Level)).ToArray();

    public static float[] Coefficients(float[] pixels)
    {
        var coefficients = new float[pixels.Length];
        Process.Transform.Forward(pixels, coefficients);
        return coefficients;
    }

    public static object Base64(byte[] file) => new { base64 = Convert.ToBase64String(file) };

    /// <summary>A multipart/form-data body as Swagger UI sends it: the JSON request in `request`, the files in `images`.</summary>
    public static MultipartFormDataContent Form(object request, params byte[][] files)
    {
        var form = new MultipartFormDataContent { { new StringContent(JsonSerializer.Serialize(request, ApiCalls.Json)), "request" } };
        for (var i = 0; i < files.Length; i++)
        {
            var file = new ByteArrayContent(files[i]);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(file, "images", $"upload{i}.png");
        }

        return form;
    }

    /// <summary>The indices of the coefficients of groups [from, to).</summary>
    public static int[] Indices(int from, int to) => Process.Grouping.Groups.Skip(from).Take(to - from).SelectMany(g => g.Indices).ToArray();
}
