using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Gdm.Tests.Api.Endpoints;

namespace Gdm.Tests.Api.Hosting;

/// <summary>
/// The built Gdm.Api.dll as a real process, started from an unrelated working directory on a free loopback port with
/// the shipped model: it finds its settings and the level explorer's page in its own folder. Every wait is on a log line, an HTTP answer or the process's exit, never on a clock.
/// </summary>
public sealed class StartedServiceTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task Started_from_elsewhere_it_logs_and_serves_and_on_sigterm_it_drains_without_resets_and_fails_jobs_with_a_reason()
    {
        var port = FreePort();
        var workingDirectory = Directory.CreateTempSubdirectory("gdm-elsewhere-");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { ApiDll(), "--urls", $"http://127.0.0.1:{port}", "--Inference:IntraOpThreads", "1", "--Shutdown:DrainTime", "00:02:00" })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var lines = Channel.CreateUnbounded<string>();
        var log = new List<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (log)
                log.Add(e.Data);
            lines.Writer.TryWrite(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                lock (log)
                    log.Add(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            // Serilog writes only if appsettings.json was found: from the application's folder, not this working directory.
            await LineAsync(lines, "Ready: serving", log);
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = Patience };
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

            // The level explorer is served from the application's folder too, page and modules, as the README promises.
            using var page = await client.GetAsync("/");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.Contains("<title>GDM level explorer</title>", await page.Content.ReadAsStringAsync());
            using var module = await client.GetAsync("/js/main.js");
            Assert.Equal(HttpStatusCode.OK, module.StatusCode);

            using var created = await client.PostAsync("/v1/jobs", new { samples = new { seed = 1, stepsPerGroup = new[] { 150 } } });
            Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
            var job = created.Headers.Location!.ToString();
            var synchronous = client.PostAsync("/v1/samples", new { seed = 2, stepsPerGroup = new[] { 60 } });
            await ActiveTrajectoriesAsync(client, atLeast: 2);

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync();
            await LineAsync(lines, "Stopping: readiness is 503", log);

            using var ready = await client.GetAsync("/health/ready");
            using var refused = await client.PostAsync("/v1/samples", new { seed = 3 });
            var failed = (await client.GetFromJsonAsync<JsonObject>(job, ApiCalls.Json))!;
            using var answered = await synchronous;
            await process.WaitForExitAsync().WaitAsync(Patience);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.Equal("failed", failed["status"]!.GetValue<string>());
            Assert.Equal(503, failed["error"]!["status"]!.GetValue<int>());
            Assert.Contains("send it again", failed["error"]!["detail"]!.GetValue<string>());
            // The request in flight finished within the drain time (or would have been answered 503): an answer, not a reset.
            Assert.True(answered.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"the request in flight got {(int)answered.StatusCode}");
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            workingDirectory.Delete(recursive: true);
        }
    }

    // The service's own build output: Gdm.Api/bin/<configuration>/net10.0/Gdm.Api.dll beside this test's build.
    private static string ApiDll()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var dll = Path.Combine(directory.FullName, "Gdm.Api", "bin", configuration, "net10.0", "Gdm.Api.dll");
            if (File.Exists(dll))
                return dll;
        }

        throw new FileNotFoundException($"no Gdm.Api/bin/{configuration}/net10.0/Gdm.Api.dll above {AppContext.BaseDirectory}: build Gdm.Api first");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task LineAsync(Channel<string> lines, string containing, List<string> log)
    {
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            while (!(await lines.Reader.ReadAsync(timeout.Token)).Contains(containing, StringComparison.Ordinal))
            {
            }
        }
        catch (OperationCanceledException)
        {
            lock (log)
                Assert.Fail($"no log line with '{containing}' within {Patience.TotalSeconds} s; the log:\n{string.Join('\n', log)}");
        }
    }

    // The metrics gauge, read until both requests are in the batch (each read is an HTTP round trip, not a sleep).
    private static async Task ActiveTrajectoriesAsync(HttpClient client, int atLeast)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var metrics = await client.GetStringAsync("/metrics", timeout.Token);
            var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith("gdm_active_trajectories ", StringComparison.Ordinal));
            if (line is not null && double.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) >= atLeast)
                return;
        }
    }
}
