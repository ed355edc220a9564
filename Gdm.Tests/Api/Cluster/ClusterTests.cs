using System.Diagnostics;
using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Tests.Api.Endpoints;
using Gdm.Tests.Api.Support;
using Xunit.Abstractions;

namespace Gdm.Tests.Api.Cluster;

/// <summary>
/// A real cluster: redis-server and two replicas of the built service as processes on loopback, on the test model,
/// one inference thread each. Each test first brings both replicas up (a test that killed one leaves it to be
/// started again) and waits only on observable state, with deadlines.
/// </summary>
public sealed class ClusterTests(ClusterFixture cluster, ITestOutputHelper output) : IClassFixture<ClusterFixture>
{
    // A job long enough to be caught running: 600 Heun steps (1,200 network calls) of two images batched together (Engine:MaxBatchSize).
    private static readonly object LongSamples = new { count = 2, seed = 11, stepsPerGroup = new[] { 100 } };

    // Fills the cluster queue in the 429 test: long enough that no replica finishes one (and takes a queued one) while
    // the test looks at the queue, even on a busy machine; the test deletes them all.
    private static readonly object FillerSamples = new { count = 2, seed = 12, stepsPerGroup = new[] { 200 } };

    [Fact]
    public async Task A_job_posted_to_one_replica_is_seen_and_followed_from_the_other()
    {
        var (a, b) = await cluster.ReplicasAsync();
        var location = await a.Client.StartJobAsync(new { samples = new { count = 2, seed = 3 } });

        var events = await b.Client.EventsAsync(location + "/events");
        Assert.Equal("done", events[^1].EventType);
        var fromA = await a.Client.GetStringAsync(location);
        var fromB = await b.Client.GetStringAsync(location);
        Assert.Equal(fromA, fromB);
        var view = JsonSerializer.Deserialize<JobView>(fromB, ApiCalls.Json)!;
        Assert.Equal("succeeded", view.Status);
        Assert.Contains(view.Worker, new[] { a.Name, b.Name });
        Assert.Contains(view.Id, JsonSerializer.Deserialize<JobView[]>(await b.Client.GetStringAsync("/v1/jobs"), ApiCalls.Json)!.Select(j => j.Id));
    }

    [Fact]
    public async Task Killing_the_replica_that_runs_a_job_lets_the_other_finish_it_with_the_same_images()
    {
        var (a, b) = await cluster.ReplicasAsync();
        var location = await a.Client.StartJobAsync(new { samples = LongSamples });
        var running = await a.Client.PollJobAsync(location, v => v.Status == "running" && v.Progress.EvaluationsDone > 0);
        var (owner, survivor) = running.Worker == a.Name ? (a, b) : (b, a);

        owner.Kill();
        var killed = Stopwatch.StartNew();
        await survivor.Client.PollJobAsync(location, v => v.Worker == survivor.Name || v.Status is "succeeded" or "failed", TimeSpan.FromSeconds(180));
        var takenOver = killed.Elapsed;
        var finished = await survivor.Client.PollJobAsync(location, v => v.Status is "succeeded" or "failed", TimeSpan.FromSeconds(180));
        output.WriteLine($"kill -9 of {owner.Name} at {running.Progress.EvaluationsDone}/{running.Progress.EvaluationsTotal} evaluations; {survivor.Name} took the job over " +
                         $"{takenOver.TotalSeconds:F2} s later (lease {ClusterFixture.Lease.TotalSeconds:F0} s) and finished it {killed.Elapsed.TotalSeconds:F2} s after the kill");

        Assert.True(finished.Status == "succeeded", $"the job {finished.Status}: {finished.Error?.Detail}\n{owner.Name}:\n{owner.Output}");
        Assert.Equal(survivor.Name, finished.Worker);
        var direct = await survivor.Client.ImagesAsync("/v1/samples", LongSamples);
        Assert.Equal(direct.Images.Select(i => i.Png), finished.Result<ImagesResponse>().Images.Select(i => i.Png));
        Assert.True(await PollMetricAsync(survivor.Client, "gdm_cluster_reclaims_total", v => v >= 1) >= 1);
    }

    [Fact]
    public async Task A_DELETE_on_the_replica_that_does_not_run_the_job_stops_it()
    {
        var (a, b) = await cluster.ReplicasAsync();
        var location = await a.Client.StartJobAsync(new { samples = LongSamples });
        var running = await a.Client.PollJobAsync(location, v => v.Status == "running" && v.Progress.EvaluationsDone > 0);
        var other = running.Worker == a.Name ? b : a;

        using var deleted = await other.Client.DeleteAsync(location);
        var cancelled = JsonSerializer.Deserialize<JobView>(await deleted.Content.ReadAsStringAsync(), ApiCalls.Json)!;
        Assert.Equal((HttpStatusCode.OK, "cancelled", running.Worker), (deleted.StatusCode, cancelled.Status, cancelled.Worker));
        Assert.True(cancelled.Progress.EvaluationsDone < cancelled.Progress.EvaluationsTotal);
    }

    [Fact]
    public async Task The_cluster_queue_refuses_with_429_and_a_Retry_After_once_full_across_replicas()
    {
        var (a, b) = await cluster.ReplicasAsync();
        var posted = new List<string>();
        try
        {
            // The replicas take what their engines have room for (one long job each); then the cluster queue fills.
            var first = await PostUntilRefusedAsync(a, b, posted);
            Assert.True(first.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "no Retry-After");
            first.Dispose();

            // Jobs the replicas took after that refusal left room: fill it again, then one more is refused.
            var deadline = Stopwatch.StartNew();
            while (await WaitingAsync(b) is var waiting && waiting < ClusterFixture.QueueCapacity)
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), $"the cluster queue stayed at {waiting} jobs");
                using var accepted = await a.Client.PostAsync("/v1/jobs", new { samples = FillerSamples });
                Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
                posted.Add(accepted.Headers.Location!.ToString());
            }

            using var refused = await b.Client.PostAsync("/v1/jobs", new { samples = FillerSamples });
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "no Retry-After");
            Assert.Equal(ClusterFixture.QueueCapacity, await PollMetricAsync(a.Client, "gdm_cluster_queue_depth_jobs", v => v == ClusterFixture.QueueCapacity));
        }
        finally
        {
            foreach (var location in posted)
                (await a.Client.DeleteAsync(location)).Dispose();
        }
    }

    private static async Task<HttpResponseMessage> PostUntilRefusedAsync(ServiceProcess a, ServiceProcess b, List<string> posted)
    {
        for (var i = 0; i < 30; i++)
        {
            var response = await (i % 2 == 0 ? a : b).Client.PostAsync("/v1/jobs", new { samples = FillerSamples });
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
                return response;
            }

            posted.Add(response.Headers.Location!.ToString());
            response.Dispose();
        }

        throw new InvalidOperationException("30 jobs were accepted and none refused");
    }

    // Jobs waiting in the cluster queue (a queue position), as any replica lists them.
    private static async Task<int> WaitingAsync(ServiceProcess replica) =>
        JsonSerializer.Deserialize<JobView[]>(await replica.Client.GetStringAsync("/v1/jobs?status=queued&take=100"), ApiCalls.Json)!.Count(v => v.QueuePosition > 0);

    [Fact]
    public async Task Events_resume_from_Last_Event_ID_on_another_replica()
    {
        var (a, b) = await cluster.ReplicasAsync();
        var location = await a.Client.StartJobAsync(new { samples = new { count = 1, seed = 21, stepsPerGroup = new[] { 30 } } });

        var firstPart = new List<SseItem<string>>();
        await using (var stream = await a.Client.GetStreamAsync(location + "/events"))
            await foreach (var item in SseParser.Create(stream).EnumerateAsync())
            {
                firstPart.Add(item);
                if (firstPart.Count == 3 || item.EventType == "done")
                    break;
            }

        var rest = await b.Client.EventsAsync(location + "/events", firstPart[^1].EventId);
        var all = await a.Client.EventsAsync(location + "/events");
        Assert.Equal("done", all[^1].EventType);
        Assert.Equal(all.Select(e => (e.EventId, e.Data)), firstPart.Concat(rest).Select(e => (e.EventId, e.Data)));
    }

    [Fact]
    public async Task SIGTERM_drains_a_replica_and_its_running_job_still_succeeds()
    {
        var (a, b) = await cluster.ReplicasAsync();
        var location = await a.Client.StartJobAsync(new { samples = LongSamples });
        var running = await a.Client.PollJobAsync(location, v => v.Status == "running" && v.Progress.EvaluationsDone > 0);
        var (owner, other) = running.Worker == a.Name ? (a, b) : (b, a);

        owner.Terminate();
        Assert.True(await owner.WaitForExitAsync(TimeSpan.FromSeconds(60)), $"{owner.Name} did not exit after SIGTERM:\n{owner.Output}");
        Assert.Equal(0, owner.ExitCode);
        var finished = await other.Client.PollJobAsync(location, v => v.Status is "succeeded" or "failed", TimeSpan.FromSeconds(180));
        Assert.True(finished.Status == "succeeded", $"the job {finished.Status}: {finished.Error?.Detail}\n{owner.Name}:\n{owner.Output}");
    }

    private static async Task<double> PollMetricAsync(HttpClient client, string name, Func<double, bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var line = (await client.GetStringAsync("/metrics")).Split('\n').FirstOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal));
            if (line is not null && double.Parse(line[(name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture) is var value && condition(value))
                return value;
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), $"{name} never reached the expected value (last: {line})");
            await Task.Delay(50);
        }
    }
}

/// <summary>redis-server and two replicas (r1, r2) sharing it; a replica that a test stopped is started again by the next.</summary>
public sealed class ClusterFixture : IDisposable
{
    public const int QueueCapacity = 2;

    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(3);

    private readonly RedisServer _redis = RedisServer.Start();
    private readonly string _prefix = RedisFixture.NewPrefix();
    private readonly ServiceProcess?[] _replicas = new ServiceProcess?[2];
    private readonly SemaphoreSlim _lock = new(1, 1);

    /// <summary>Both replicas, started (again) where needed and ready.</summary>
    public async Task<(ServiceProcess A, ServiceProcess B)> ReplicasAsync()
    {
        await _lock.WaitAsync();
        try
        {
            for (var i = 0; i < _replicas.Length; i++)
            {
                if (_replicas[i] is { HasExited: false })
                    continue;
                _replicas[i]?.Dispose();
                _replicas[i] = ServiceProcess.Start($"r{i + 1}", Settings($"r{i + 1}"));
            }

            foreach (var replica in _replicas)
                await replica!.WaitUntilReadyAsync(TimeSpan.FromSeconds(180));
            return (_replicas[0]!, _replicas[1]!);
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose()
    {
        foreach (var replica in _replicas)
            replica?.Dispose();
        _redis.Dispose();
        _lock.Dispose();
    }

    private Dictionary<string, string> Settings(string name) => new()
    {
        ["Cluster:Redis"] = _redis.ConnectionString,
        ["Cluster:ReplicaName"] = name,
        ["Cluster:KeyPrefix"] = _prefix,
        ["Cluster:LeaseDuration"] = Lease.ToString(),
        ["Cluster:DrainTimeout"] = "00:00:01",
        // Jobs here are short; a long deadline keeps a machine busy with other work from failing them.
        ["Engine:RequestDeadline"] = "00:10:00",
        ["Models:Folder"] = TestModel.Folder,
        ["Models:DefaultModel"] = "",
        ["Models:WarmUpBatchSize"] = "1",
        ["Inference:IntraOpThreads"] = "1",
        ["Inference:AllowSpinning"] = "false",
        ["Engine:MaxBatchSize"] = "2",
        ["Engine:QueueCapacityRequests"] = QueueCapacity.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Serilog:MinimumLevel:Default"] = "Warning",
        ["Serilog:MinimumLevel:Override:Gdm.Api.Cluster"] = "Information",
    };
}
