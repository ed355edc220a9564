using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gdm.Api.Endpoints;
using Gdm.Api.Inference;
using Gdm.Tests.Api.Images;
using Microsoft.Extensions.DependencyInjection;

namespace Gdm.Bench;

/// <summary>
/// `gdm-bench fuzz`: posts seeded malformed uploads (the suite's generator) to the running service on loopback, as
/// JSON base64 and as multipart files in turn, as variations of the upload's last group with one step, from a few
/// clients at once; prints the status histogram overall and by kind, the time per kind and the process's working set
/// before, at its peak (sampled every 20 ms) and after, and checks that a good upload still succeeds at the end.
/// </summary>
public static class FuzzBench
{
    public static async Task<int> RunAsync(BenchOptions options, int count, int seed, int clients)
    {
        if (await ServiceHost.StartServingAsync(options, "gdm-bench fuzz") is not (var app, var address, var model))
            return 1;
        await using var _ = app;

        var groups = model.Process.Grouping.Count;
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
        var generator = new MalformedUploads(seed);
        var uploads = generator.Generate(count).ToArray();
        using var process = Process.GetCurrentProcess();
        GC.Collect();
        var before = WorkingSet(process);
        var peak = before;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, WorkingSet(process));
                await Task.Delay(20, CancellationToken.None);
            }
        });

        var results = new (string Kind, int Status, double Seconds)[uploads.Length];
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < uploads.Length; i = Interlocked.Increment(ref next))
            {
                var begun = Stopwatch.GetTimestamp();
                int status;
                try
                {
                    using var response = await http.PostAsync("/v1/variations", Body(uploads[i].Bytes, i % 2 == 0, groups));
                    status = (int)response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    status = 0; // no HTTP answer at all: a reset or a crash
                }

                results[i] = (uploads[i].Kind, status, Stopwatch.GetElapsedTime(begun).TotalSeconds);
            }
        }));
        var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await sampling.CancelAsync();
        await sampler;
        GC.Collect();
        var after = WorkingSet(process);
        using var good = await http.PostAsync("/v1/variations", Body(generator.GoodPng, true, groups));

        Console.WriteLine($"fuzz: {count} malformed uploads (seed {seed}, {MalformedUploads.Kinds.Count} kinds), {clients} clients, " +
                          $"{wall:F1} s, model {model.Name}, {Environment.ProcessorCount} cores");
        Console.WriteLine("status histogram: " + string.Join(", ", results.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{Name(g.Key)} {g.Count()}")));
        Console.WriteLine($"working set: before {Mib(before)} MiB, peak {Mib(peak)} MiB, after {Mib(after)} MiB");
        Console.WriteLine($"a good upload afterwards: {(int)good.StatusCode}");
        Console.WriteLine();
        Console.WriteLine($"{"kind",-28} {"statuses",-28} {"mean ms",8} {"max ms",8}");
        foreach (var kind in results.GroupBy(r => r.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
            Console.WriteLine($"{kind.Key,-28} {string.Join(" ", kind.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{Name(g.Key)}x{g.Count()}")),-28} " +
                              $"{kind.Average(r => r.Seconds) * 1000,8:F1} {kind.Max(r => r.Seconds) * 1000,8:F1}");
        return results.Any(r => r.Status is 0 or >= 500) || !good.IsSuccessStatusCode ? 2 : 0;
    }

    private static HttpContent Body(byte[] file, bool asJson, int groups)
    {
        var request = new Dictionary<string, object>
        {
            ["source"] = new { image = asJson ? new { base64 = Convert.ToBase64String(file) } : (object)new { file = 0 } },
            ["fromGroup"] = groups - 1,
            ["stepsPerGroup"] = new[] { 1 },
            ["format"] = "pixels",
        };
        var json = JsonSerializer.Serialize(request, RecipeMapping.Json);
        if (asJson)
            return new StringContent(json, Encoding.UTF8, "application/json");
        var form = new MultipartFormDataContent { { new StringContent(json), "request" } };
        form.Add(new ByteArrayContent(file) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } }, "images", "upload.png");
        return form;
    }

    private static string Name(int status) => status == 0 ? "no-answer" : status.ToString(CultureInfo.InvariantCulture);

    private static long WorkingSet(Process process)
    {
        process.Refresh();
        return process.WorkingSet64;
    }

    private static long Mib(long bytes) => bytes >> 20;

}
