using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Gdm.Api.Endpoints;
using Gdm.Api.Inference;
using Microsoft.Extensions.DependencyInjection;

namespace Gdm.Bench;

/// <summary>
/// `gdm-bench load`: overload, measured. The service runs in this process with its served queue capacity (64) and
/// deadline (120 s). First its capacity: MaxBatchSize clients posting count-1 samples back to back for --measure
/// seconds give images/s. Then open-loop arrivals at --factor times that rate for --seconds (each request sent on
/// time whatever the answers do, as real clients would), and every answer waited for. Prints counts by status,
/// p50/p95/p99 of the 200s, the share of 429s and their Retry-After against what a retry after it would meet, and the
/// working set before, at its peak (sampled every 50 ms) and after.
/// </summary>
public static class LoadBench
{
    public static async Task<int> RunAsync(BenchOptions options, int seconds, int factor, int measureSeconds)
    {
        if (await ServiceHost.StartServingAsync(options, "gdm-bench load", servedDefaults: true) is not (var app, var address, var model))
            return 1;
        await using var _ = app;

        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(10) };
        var seed = 0L;
        async Task<(int Status, double Seconds, TimeSpan? RetryAfter)> Sample()
        {
            var begun = Stopwatch.GetTimestamp();
            try
            {
                using var response = await http.PostAsJsonAsync("/v1/samples", new { seed = Interlocked.Increment(ref seed), format = "pixels" }, RecipeMapping.Json);
                await response.Content.ReadAsByteArrayAsync();
                return ((int)response.StatusCode, Stopwatch.GetElapsedTime(begun).TotalSeconds, response.Headers.RetryAfter?.Delta);
            }
            catch (HttpRequestException)
            {
                return (0, Stopwatch.GetElapsedTime(begun).TotalSeconds, null);
            }
        }

        using var process = Process.GetCurrentProcess();
        GC.Collect();
        var before = WorkingSet(process);

        // Capacity, closed loop.
        var made = 0;
        var measuring = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, options.MaxBatchSize).Select(async _ =>
        {
            while (measuring.Elapsed.TotalSeconds < measureSeconds)
                if ((await Sample()).Status == 200)
                    Interlocked.Increment(ref made);
        }));
        var capacity = made / measuring.Elapsed.TotalSeconds;
        var rate = capacity * factor;
        Console.WriteLine($"load: model {model.Name}, {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; " +
                          $"capacity {capacity:F2} images/s ({options.MaxBatchSize} closed-loop clients, {measureSeconds} s); offering {factor}x = {rate:F2} requests/s for {seconds} s");

        // Overload, open loop.
        var peak = WorkingSet(process);
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, WorkingSet(process));
                await Task.Delay(50, CancellationToken.None);
            }
        });
        var results = new ConcurrentBag<(int Status, double Seconds, TimeSpan? RetryAfter, double SentAt)>();
        var requests = new List<Task>();
        var clock = Stopwatch.StartNew();
        for (var n = 0; n < rate * seconds; n++)
        {
            var due = TimeSpan.FromSeconds(n / rate);
            if (due > clock.Elapsed)
                await Task.Delay(due - clock.Elapsed);
            var sentAt = clock.Elapsed.TotalSeconds;
            requests.Add(Task.Run(async () =>
            {
                var (status, elapsed, retryAfter) = await Sample();
                results.Add((status, elapsed, retryAfter, sentAt));
            }));
        }

        var during = WorkingSet(process);
        await Task.WhenAll(requests);
        var wall = clock.Elapsed.TotalSeconds;
        await sampling.CancelAsync();
        await sampler;
        GC.Collect();
        var after = WorkingSet(process);
        var afterwards = await Sample();

        var all = results.ToArray();
        var ok = all.Where(r => r.Status == 200).Select(r => r.Seconds).Order().ToArray();
        var refused = all.Where(r => r.Status == 429).ToArray();
        Console.WriteLine($"{all.Length} requests in {wall:F1} s (sending took {seconds} s): " +
                          string.Join(", ", all.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{(g.Key == 0 ? "no answer" : g.Key.ToString(CultureInfo.InvariantCulture))} {g.Count()}")));
        if (ok.Length > 0)
            Console.WriteLine($"200s: {ok.Length / wall:F2} images/s; latency p50 {Quantile(ok, 0.5):F2} s, p95 {Quantile(ok, 0.95):F2} s, p99 {Quantile(ok, 0.99):F2} s, max {ok[^1]:F2} s");
        if (refused.Length > 0)
        {
            var retry = refused.Select(r => r.RetryAfter?.TotalSeconds ?? double.NaN).Order().ToArray();
            // What a client retrying after Retry-After would have met: the latency of the 200s sent around then.
            var met = refused.Select(r =>
            {
                var at = r.SentAt + (r.RetryAfter?.TotalSeconds ?? 0);
                var near = all.Where(o => o.Status == 200 && Math.Abs(o.SentAt - at) < 2).Select(o => o.Seconds).ToArray();
                return near.Length == 0 ? double.NaN : near.Average();
            }).Where(double.IsFinite).ToArray();
            Console.WriteLine($"429s: {100.0 * refused.Length / all.Length:F1} % of requests, {refused.Count(r => r.RetryAfter is not null)} with Retry-After; " +
                              $"Retry-After p50 {Quantile(retry, 0.5):F0} s (min {retry[0]:F0}, max {retry[^1]:F0}); admitted requests then waited p50 {Quantile(ok, 0.5):F1} s" +
                              (met.Length > 0 ? $"; a retry after Retry-After met {met.Average():F1} s latency on average" : ""));
        }

        Console.WriteLine($"working set: before {before >> 20} MiB, during {during >> 20} MiB (peak {peak >> 20} MiB), after {after >> 20} MiB; " +
                          $"a request afterwards: {afterwards.Status} in {afterwards.Seconds:F2} s");
        return all.Any(r => r.Status is 0 or 500) || afterwards.Status != 200 ? 2 : 0;
    }

    private static double Quantile(double[] sorted, double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    private static long WorkingSet(Process process)
    {
        process.Refresh();
        return process.WorkingSet64;
    }
}
