using System.Net;
using Gdm.Tests.Api.Images;
using Gdm.Tests.Api.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Gdm.Tests.Api.Endpoints;

/// <summary>
/// Bad uploads end in their own 400 or 413 naming the field, before any engine work: a sample held midway in the
/// network (by the gate, so nothing sleeps) goes on to succeed. Small upload limits keep the files small.
/// </summary>
public sealed class UploadRejectionTests(UploadRejectionTests.GatedApi api) : IClassFixture<UploadRejectionTests.GatedApi>
{
    private const int MaxImageBytes = 16 * 1024;
    private const int MaxPixels = 256;
    private const int MaxBodyBytes = 64 * 1024;

    public enum BadUpload
    {
        Corrupt,
        Truncated,
        WrongFormat,
        TooManyBytes,
        TooManyDeclaredPixels,
    }

    public static TheoryData<BadUpload, bool, HttpStatusCode> BadUploads => new()
    {
        { BadUpload.Corrupt, false, HttpStatusCode.BadRequest },
        { BadUpload.Corrupt, true, HttpStatusCode.BadRequest },
        { BadUpload.Truncated, false, HttpStatusCode.BadRequest },
        { BadUpload.Truncated, true, HttpStatusCode.BadRequest },
        { BadUpload.WrongFormat, false, HttpStatusCode.BadRequest },
        { BadUpload.WrongFormat, true, HttpStatusCode.BadRequest },
        { BadUpload.TooManyBytes, false, HttpStatusCode.RequestEntityTooLarge },
        { BadUpload.TooManyBytes, true, HttpStatusCode.RequestEntityTooLarge },
        { BadUpload.TooManyDeclaredPixels, false, HttpStatusCode.RequestEntityTooLarge },
        { BadUpload.TooManyDeclaredPixels, true, HttpStatusCode.RequestEntityTooLarge },
    };

    [Theory]
    [MemberData(nameof(BadUploads))]
    public async Task A_bad_upload_gives_its_problem_naming_the_field_while_a_concurrent_sample_succeeds(BadUpload kind, bool multipart, HttpStatusCode status)
    {
        var client = await api.Factory.ReadyClientAsync();
        var file = BadFile(kind);
        api.Factory.Gate!.Close();
        var sample = client.PostAsync("/v1/samples", new { seed = 5, stepsPerGroup = new[] { 1 } });
        await api.Factory.Gate.WaitForCallAsync();

        using var response = multipart
            ? await client.PostAsync("/v1/encode", Uploads.Form(new { image = new { file = 0 } }, file))
            : await client.PostAsync("/v1/encode", new { image = Uploads.Base64(file) });

        api.Factory.Gate.Open();
        var problem = await response.JsonObjectAsync();
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(problem["errors"]!.AsObject().ContainsKey("image"), $"errors name {problem["errors"]!.ToJsonString()}, not image");
        Assert.StartsWith("image: ", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        using var sampled = await sample;
        Assert.Equal(HttpStatusCode.OK, sampled.StatusCode);
    }

    [Fact]
    public async Task A_bad_upload_among_mix_sources_names_its_source()
    {
        var client = await api.Factory.ReadyClientAsync();
        var good = Uploads.Png(Uploads.Quantise(Uploads.Pattern(0)));
        using var response = await client.PostAsync("/v1/mix", Uploads.Form(
            new { sources = new object[] { new { image = new { file = 0 } }, new { image = new { file = 1 } } }, groupSources = new[] { 0, 1, 1, 1, 1, 1 } },
            good,
            BadFile(BadUpload.Truncated)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("sources[1].image: the PNG image is corrupt or truncated", (await response.JsonObjectAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_over_the_upload_limit_is_413_and_an_unnamed_file_is_400()
    {
        var client = await api.Factory.ReadyClientAsync();
        var big = new byte[MaxBodyBytes];
        using var tooLarge = await client.PostAsync("/v1/encode", new { image = Uploads.Base64(big) });
        var good = Uploads.Png(Uploads.Quantise(Uploads.Pattern(0)));
        using var unnamed = await client.PostAsync("/v1/encode", Uploads.Form(new { image = new { file = 0 } }, good, good));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.StartsWith("body: ", (await tooLarge.JsonObjectAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unnamed.StatusCode);
        Assert.StartsWith("images[1]: ", (await unnamed.JsonObjectAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> StrayParts => new()
    {
        { "second request", "request: give the request as one part, got 2" },
        { "unknown field", "seed: is not a part here; the parts are request (the JSON request) and images (the image files)" },
        { "file under another name", "image: is not a part here; the parts are request (the JSON request) and images (the image files)" },
    };

    [Theory]
    [MemberData(nameof(StrayParts))]
    public async Task A_form_part_other_than_one_request_and_the_images_is_a_400_naming_it(string kind, string detail)
    {
        var client = await api.Factory.ReadyClientAsync();
        var good = Uploads.Png(Uploads.Quantise(Uploads.Pattern(0)));
        using var form = Uploads.Form(new { image = new { file = 0 } }, good);
        switch (kind)
        {
            case "second request":
                form.Add(new StringContent("{}"), "request");
                break;
            case "unknown field":
                form.Add(new StringContent("5"), "seed");
                break;
            default:
                form.Add(new ByteArrayContent(good), "image", "stray.png");
                break;
        }

        using var response = await client.PostAsync("/v1/encode", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(detail, (await response.JsonObjectAsync())["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_traverse_job_of_an_upload_is_cancelled_midway_by_delete()
    {
        var client = await api.Factory.ReadyClientAsync();
        var gate = api.Factory.Gate!;
        gate.Close();
        using var created = await client.PostAsync("/v1/jobs", Uploads.Form(
            new { traverse = new { source = new { image = new { file = 0 } }, values = new[] { -1, 1 } } },
            Uploads.Png(Uploads.Quantise(Uploads.Pattern(0.5)))));
        var location = created.Headers.Location!.ToString();
        await gate.WaitForCallAsync();

        using var deleted = await api.Factory.CancelHeldJobAsync(client, location);
        var job = System.Text.Json.JsonSerializer.Deserialize<Gdm.Api.Endpoints.Contracts.JobView>(await deleted.Content.ReadAsStringAsync(), ApiCalls.Json)!;

        Assert.Equal("traverse", job.Kind);
        Assert.Equal("cancelled", job.Status);
        Assert.True(job.Progress.EvaluationsDone < job.Progress.EvaluationsTotal);
    }

    private static byte[] BadFile(BadUpload kind)
    {
        var png = Uploads.Png(Uploads.Quantise(Uploads.Pattern(0.2)));
        switch (kind)
        {
            case BadUpload.Corrupt:
                // A PNG signature and header-sized garbage: nothing after the signature can be read.
                var corrupt = new byte[600];
                new Random(7).NextBytes(corrupt);
                png.AsSpan(0, 8).CopyTo(corrupt);
                return corrupt;
            case BadUpload.Truncated:
                return png[..(png.Length / 2)];
            case BadUpload.WrongFormat:
                using (var image = UploadDecoderTests.Gradient(28, 28))
                    return UploadDecoderTests.Encode(image, new GifEncoder());
            case BadUpload.TooManyBytes:
                using (var noise = new Image<Rgb24>(100, 100))
                {
                    var random = new Random(3);
                    noise.ProcessPixelRows(rows =>
                    {
                        for (var y = 0; y < rows.Height; y++)
                            foreach (ref var p in rows.GetRowSpan(y))
                                p = new Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
                    });
                    var bytes = UploadDecoderTests.Encode(noise, new PngEncoder());
                    Assert.InRange(bytes.Length, MaxImageBytes + 1, MaxBodyBytes / 2); // over the image limit, its base64 under the body limit
                    return bytes;
                }

            case BadUpload.TooManyDeclaredPixels:
                using (var wide = new Image<L8>(MaxPixels + 1, 8))
                    return UploadDecoderTests.Encode(wide, new PngEncoder());
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown bad upload");
        }
    }

    /// <summary>The service with a gated network and small upload limits.</summary>
    public sealed class GatedApi : IDisposable
    {
        public GdmApiFactory Factory { get; } = new(
            new Dictionary<string, string?>
            {
                ["Uploads:MaxImageBytes"] = MaxImageBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Uploads:MaxWidthPixels"] = MaxPixels.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Uploads:MaxHeightPixels"] = MaxPixels.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Uploads:MaxRequestBodyBytes"] = MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            new NetworkGate());

        public void Dispose() => Factory.Dispose();
    }
}
