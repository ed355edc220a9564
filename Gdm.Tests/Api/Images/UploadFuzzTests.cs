using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Gdm.Api.Endpoints;
using Gdm.Api.Images;
using Gdm.Api.Options;
using Gdm.Tests.Api.Endpoints;
using Gdm.Tests.Api.Support;

namespace Gdm.Tests.Api.Images;

/// <summary>
/// Seeded fuzzing of the upload path: 1,200 malformed files through the decoding path the endpoints use (reader, gate,
/// preflight, decoder, conversion), then the HTTP edge (bad base64, broken multipart) in process. Every answer is a
/// status below 500, good uploads between the bad ones still work, and the working set grows by at most 512 MiB
/// over the run: one of the zTXt bombs inflated would take more than that for its text alone.
/// </summary>
[Collection(MemoryMeasured.Name)]
public sealed class UploadFuzzTests
{
    private const long WorkingSetBudgetBytes = 512L << 20;

    [Fact]
    public async Task Twelve_hundred_malformed_uploads_are_each_refused_with_400_or_413_and_good_ones_between_them_decode()
    {
        var uploads = new MalformedUploads(seed: 2026);
        using var gate = new UploadDecodeGate(maxConcurrent: 2, maxQueued: 8, memoryBudgetBytes: 256L << 20);
        var reader = new UploadReader(Microsoft.Extensions.Options.Options.Create(new UploadOptions()), gate);
        var model = TestModels.Analytic();
        var statuses = new Dictionary<string, Dictionary<int, int>>();
        using var process = Process.GetCurrentProcess();
        var baseline = WorkingSet(process);
        var peak = baseline;

        var n = 0;
        foreach (var upload in uploads.Generate(1200))
        {
            var status = await StatusOfAsync(reader, upload, model);
            var byStatus = statuses.TryGetValue(upload.Kind, out var known) ? known : statuses[upload.Kind] = [];
            byStatus[status] = byStatus.GetValueOrDefault(status) + 1;
            peak = Math.Max(peak, WorkingSet(process));
            if (++n % 100 == 0)
                foreach (var good in new[] { uploads.GoodPng, uploads.GoodColourPng, uploads.GoodJpeg })
                    Assert.Equal(TestModels.Shape.Size, (await reader.ConvertAsync(good, "image", model, BackgroundMode.Auto, CancellationToken.None)).Pixels.Length);
        }

        Assert.Equal(MalformedUploads.Kinds.Count, statuses.Count);
        Assert.All(statuses, kind => Assert.All(kind.Value.Keys, status => Assert.True(status is 200 or 400 or 413, $"{kind.Key} answered {status}")));
        // The damage the preflight sees for certain is refused every time, whatever the draw.
        foreach (var refused in new[] { "png-huge-size", "jpeg-huge-size", "png-animated-5000-frames", "gif-animated-3000-frames", "jpeg-unsupported-process",
                                        "jpeg-2000-scans", "png-chunk-length-overflow", "png-unknown-critical-chunk", "png-palette-missing", "png-ihdr-length", "empty" })
            Assert.False(statuses[refused].ContainsKey(200), $"{refused} was accepted");
        // Metadata is dropped unread: a bomb in it, or bad deflate data, leaves a good image.
        foreach (var dropped in new[] { "png-ztxt-bomb", "png-itxt-bomb", "png-iccp-bomb", "png-ztxt-bad-deflate", "png-exif-garbage", "png-10000-tiny-chunks" })
            Assert.Equal([200], statuses[dropped].Keys);
        Assert.True(peak - baseline <= WorkingSetBudgetBytes, $"the working set grew by {(peak - baseline) >> 20} MiB, the budget is {WorkingSetBudgetBytes >> 20} MiB");
    }

    [Fact]
    public async Task Malformed_uploads_and_broken_requests_over_http_get_4xx_and_a_good_upload_after_each_succeeds()
    {
        using var factory = new GdmApiFactory();
        var client = await factory.ReadyClientAsync();
        var uploads = new MalformedUploads(seed: 7);
        var groups = Uploads.Process.Grouping.Count;
        object Variation(object image) => new { source = new { image }, fromGroup = groups - 1, stepsPerGroup = new[] { 1 }, format = "pixels" };
        var good = Uploads.Png(Uploads.Quantise(Uploads.Pattern(0.3)));

        var requests = new List<(string What, Func<HttpContent> Body)>();
        foreach (var kind in MalformedUploads.Kinds)
        {
            var file = uploads.Make(kind);
            requests.Add(($"{kind} as base64", () => Json(Variation(Uploads.Base64(file)))));
            requests.Add(($"{kind} as a file", () => Uploads.Form(Variation(new { file = 0 }), file)));
        }

        foreach (var text in new[] { "", "!!!!", "abc", "data:image/png;base64,@@@@", "data:,", new string('A', 10_001), "iVBORw0KGgo=" })
            requests.Add(($"base64 '{text[..Math.Min(12, text.Length)]}'", () => Json(Variation(new { base64 = text }))));
        requests.Add(("an image field with neither base64 nor file", () => Json(Variation(new { }))));
        requests.Add(("an image field with both base64 and file", () => Json(Variation(new { base64 = Convert.ToBase64String(good), file = 0 }))));
        requests.Add(("multipart without its request part", () => FormWithout(good)));
        requests.Add(("multipart whose request part is not JSON", () => RawForm(("request", "{not json"), good)));
        requests.Add(("multipart with two request parts", () => RawForm(("request", Serialize(Variation(new { file = 0 }))), good, ("request", "{}"))));
        requests.Add(("multipart naming a file it lacks", () => Uploads.Form(Variation(new { file = 3 }), good)));
        requests.Add(("multipart with no files", () => Uploads.Form(Variation(new { file = 0 }))));
        requests.Add(("multipart with an unnamed second file", () => Uploads.Form(Variation(new { file = 0 }), good, uploads.Make("png-ztxt-bomb"))));
        requests.Add(("multipart with an empty file", () => Uploads.Form(Variation(new { file = 0 }), new byte[][] { [] })));
        using var whole = Uploads.Form(Variation(new { file = 0 }), good);
        var cutShort = (await whole.ReadAsByteArrayAsync())[..^40];
        requests.Add(("a multipart body cut short", () => new ByteArrayContent(cutShort) { Headers = { ContentType = whole.Headers.ContentType } }));

        foreach (var (what, body) in requests)
        {
            using var response = await client.PostAsync("/v1/variations", body());
            Assert.True((int)response.StatusCode < 500, $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        using var after = await client.PostAsync("/v1/variations", Json(Variation(Uploads.Base64(good))));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    internal static async Task<int> StatusOfAsync(UploadReader reader, MalformedUpload upload, Gdm.Api.Inference.LoadedModel model)
    {
        try
        {
            await reader.ConvertAsync(upload.Bytes, "image", model, BackgroundMode.Auto, CancellationToken.None);
            return 200;
        }
        catch (UploadRejectedException rejected)
        {
            Assert.Equal("image", rejected.Field);
            return rejected.StatusCode;
        }
    }

    private static long WorkingSet(Process process)
    {
        process.Refresh();
        return process.WorkingSet64;
    }

    private static string Serialize(object value) => System.Text.Json.JsonSerializer.Serialize(value, ApiCalls.Json);

    private static StringContent Json(object value) => new(Serialize(value), System.Text.Encoding.UTF8, "application/json");

    private static MultipartFormDataContent FormWithout(byte[] file)
    {
        var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(file) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } }, "images", "a.png");
        return form;
    }

    private static MultipartFormDataContent RawForm((string Name, string Text) first, byte[] file, (string Name, string Text)? last = null)
    {
        var form = new MultipartFormDataContent { { new StringContent(first.Text), first.Name } };
        form.Add(new ByteArrayContent(file) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } }, "images", "a.png");
        if (last is { } part)
            form.Add(new StringContent(part.Text), part.Name);
        return form;
    }
}
