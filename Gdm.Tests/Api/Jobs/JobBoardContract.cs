using System.Diagnostics;
using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Tests.Api.Endpoints;
using Gdm.Tests.Api.Support;

namespace Gdm.Tests.Api.Jobs;

/// <summary>
/// What every job board promises through the job endpoints, run once on the in-memory board and once on the Redis
/// board (a real redis-server): the same requests, the same answers. A subclass says how to start a service with
/// the given settings; each test starts its own, so none shares state with another.
/// </summary>
public abstract class JobBoardContract
{
    protected const string Replica = "replica-a";

    // The jobs here are short; a long deadline keeps a machine busy with other work from failing them.
    protected const string JobDeadline = "00:10:00";

    /// <summary>A service on the test model with these settings (and Cluster:ReplicaName = Replica), the gate around its network.</summary>
    protected abstract GdmApiFactory CreateService(Dictionary<string, string?> settings, NetworkGate? gate = null);

    [Fact]
    public async Task A_job_is_accepted_followed_to_done_and_its_view_has_the_result_and_the_replica_that_ran_it()
    {
        using var service = CreateService([]);
        var client = await service.ReadyClientAsync();
        using var created = await client.PostAsync("/v1/jobs", new { samples = new { count = 2, seed = 5 } });
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var accepted = JsonSerializer.Deserialize<JobAccepted>(await created.Content.ReadAsStringAsync(), ApiCalls.Json)!;
        Assert.Equal($"/v1/jobs/{accepted.Id}", created.Headers.Location!.ToString());

        var events = await client.EventsAsync(accepted.Events);
        Assert.Equal("done", events[^1].EventType);
        Assert.All(events[..^1], e => Assert.Equal("progress", e.EventType));
        Assert.Equal(events.Count, events.Select(e => e.EventId).Distinct().Count());
        Assert.Equal("succeeded", JsonSerializer.Deserialize<JobEvent>(events[^1].Data, ApiCalls.Json)!.Status);

        var view = JsonSerializer.Deserialize<JobView>(await client.GetStringAsync(accepted.Location), ApiCalls.Json)!;
        Assert.Equal(("succeeded", 2, 1.0, Replica), (view.Status, view.Result<ImagesResponse>().Images.Count, view.Progress.Fraction, view.Worker));
        var direct = await client.ImagesAsync("/v1/samples", new { count = 2, seed = 5 });
        Assert.Equal(direct.Images.Select(i => i.Png), view.Result<ImagesResponse>().Images.Select(i => i.Png));
    }

    [Fact]
    public async Task An_unknown_job_is_404_for_its_view_its_events_and_its_cancellation()
    {
        using var service = CreateService([]);
        var client = await service.ReadyClientAsync();
        foreach (var response in new[] { await client.GetAsync("/v1/jobs/nope"), await client.GetAsync("/v1/jobs/nope/events"), await client.DeleteAsync("/v1/jobs/nope") })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            response.Dispose();
        }
    }

    [Fact]
    public async Task A_running_job_names_its_replica_and_DELETE_stops_it_before_it_ends()
    {
        using var service = CreateService(new() { ["Engine:MaxBatchSize"] = "1" }, new NetworkGate());
        var client = await service.ReadyClientAsync();
        service.Gate!.Close();
        var location = await client.StartJobAsync(new { samples = new { seed = 1, stepsPerGroup = new[] { 50 } } });
        await service.Gate.WaitForCallAsync();
        var running = await client.PollJobAsync(location, v => v.Status == "running");
        Assert.Equal(Replica, running.Worker);

        var deleting = client.DeleteAsync(location);
        await service.Gate.StepUntilAsync(deleting);
        service.Gate.Open();
        using var deleted = await deleting;
        var cancelled = JsonSerializer.Deserialize<JobView>(await deleted.Content.ReadAsStringAsync(), ApiCalls.Json)!;
        Assert.Equal((HttpStatusCode.OK, "cancelled", 409), (deleted.StatusCode, cancelled.Status, cancelled.Error!.Status));
        Assert.True(cancelled.Progress.EvaluationsDone < cancelled.Progress.EvaluationsTotal);
        using var again = await client.DeleteAsync(location);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task A_full_queue_answers_429_with_Retry_After_and_its_jobs_still_finish()
    {
        using var service = CreateService(new() { ["Engine:MaxBatchSize"] = "1", ["Engine:QueueCapacityRequests"] = "1" }, new NetworkGate());
        var client = await service.ReadyClientAsync();
        service.Gate!.Close();
        var running = await client.StartJobAsync(new { samples = new { seed = 1, stepsPerGroup = new[] { 50 } } });
        await service.Gate.WaitForCallAsync();
        var waiting = await client.StartJobAsync(new { samples = new { seed = 2 } });
        Assert.Equal("queued", (await client.PollJobAsync(waiting, _ => true)).Status);

        using var refused = await client.PostAsync("/v1/jobs", new { samples = new { seed = 3 } });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));

        service.Gate.Open();
        Assert.Equal("succeeded", (await client.FinishJobAsync(running)).Status);
        Assert.Equal("succeeded", (await client.FinishJobAsync(waiting)).Status);
    }

    [Fact]
    public async Task Events_resume_after_the_Last_Event_ID_and_end_with_done()
    {
        using var service = CreateService([]);
        var client = await service.ReadyClientAsync();
        var location = await client.StartJobAsync(new { samples = new { seed = 9 } });
        var all = await client.EventsAsync(location + "/events");

        var resumed = await client.EventsAsync(location + "/events", all[0].EventId);
        Assert.Equal("done", resumed[^1].EventType);
        Assert.DoesNotContain(all[0].EventId, resumed.Select(e => e.EventId));
        Assert.Equal(all[^1].Data, resumed[^1].Data);
    }

    [Fact]
    public async Task Jobs_are_listed_newest_first_and_filtered_by_status()
    {
        using var service = CreateService([]);
        var client = await service.ReadyClientAsync();
        var first = await client.StartJobAsync(new { samples = new { seed = 1 } });
        await client.FinishJobAsync(first);
        var second = await client.StartJobAsync(new { samples = new { seed = 2 } });
        await client.FinishJobAsync(second);

        var listed = JsonSerializer.Deserialize<JobView[]>(await client.GetStringAsync("/v1/jobs"), ApiCalls.Json)!;
        Assert.Equal([second.Split('/')[^1], first.Split('/')[^1]], listed.Select(v => v.Id));
        Assert.Empty(JsonSerializer.Deserialize<JobView[]>(await client.GetStringAsync("/v1/jobs?status=running"), ApiCalls.Json)!);
        Assert.Single(JsonSerializer.Deserialize<JobView[]>(await client.GetStringAsync("/v1/jobs?status=succeeded&skip=1"), ApiCalls.Json)!);
        using var bad = await client.GetAsync("/v1/jobs?status=done");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task With_API_keys_a_job_is_seen_followed_and_cancelled_only_with_its_key_and_each_key_has_its_share_of_jobs()
    {
        using var service = CreateService(TestKeys.Required(new() { ["Engine:MaxBatchSize"] = "1", ["FairShare:ActiveJobsPerKey"] = "1" }), new NetworkGate());
        var alice = await TestKeys.ClientAsync(service, TestKeys.Alice);
        var bob = await TestKeys.ClientAsync(service, TestKeys.Bob);
        service.Gate!.Close();
        var location = await alice.StartJobAsync(new { samples = new { seed = 1 } });
        foreach (var response in new[] { await bob.GetAsync(location), await bob.GetAsync(location + "/events"), await bob.DeleteAsync(location) })
        {
            Assert.Equal((HttpStatusCode.NotFound, "application/problem+json"), (response.StatusCode, response.Content.Headers.ContentType?.MediaType));
            response.Dispose();
        }

        // Alice holds her one place; Bob's own place is untouched by it.
        using var refused = await alice.PostAsync("/v1/jobs", new { samples = new { seed = 2 } });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Contains("FairShare:ActiveJobsPerKey", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var bobs = await bob.StartJobAsync(new { samples = new { seed = 3 } });
        Assert.Equal([location.Split('/')[^1]], JsonSerializer.Deserialize<JobView[]>(await alice.GetStringAsync("/v1/jobs"), ApiCalls.Json)!.Select(v => v.Id));
        Assert.Equal([bobs.Split('/')[^1]], JsonSerializer.Deserialize<JobView[]>(await bob.GetStringAsync("/v1/jobs"), ApiCalls.Json)!.Select(v => v.Id));

        service.Gate.Open();
        Assert.Equal("succeeded", (await alice.FinishJobAsync(location)).Status);
        Assert.Equal("succeeded", (await bob.FinishJobAsync(bobs)).Status);
        await alice.FinishJobAsync(await alice.StartJobAsync(new { samples = new { seed = 2 } }));
    }

}

/// <summary>The contract on the in-memory board (no Cluster:Redis).</summary>
public sealed class InMemoryJobBoardTests : JobBoardContract
{
    protected override GdmApiFactory CreateService(Dictionary<string, string?> settings, NetworkGate? gate = null)
    {
        settings["Cluster:ReplicaName"] = Replica;
        settings["Engine:RequestDeadline"] = JobDeadline;
        return new GdmApiFactory(settings, gate);
    }
}

/// <summary>The contract on the Redis board: the service in cluster mode on a real redis-server, its keys under a prefix of its own.</summary>
public sealed class RedisJobBoardTests(RedisFixture redis) : JobBoardContract, IClassFixture<RedisFixture>
{
    protected override GdmApiFactory CreateService(Dictionary<string, string?> settings, NetworkGate? gate = null)
    {
        settings["Cluster:ReplicaName"] = Replica;
        settings["Cluster:Redis"] = redis.Server.ConnectionString;
        settings["Cluster:KeyPrefix"] = RedisFixture.NewPrefix();
        settings["Engine:RequestDeadline"] = JobDeadline;
        return new GdmApiFactory(settings, gate);
    }

    [Fact]
    public async Task A_resumed_stream_replays_exactly_the_events_after_the_Last_Event_ID()
    {
        using var service = CreateService([]);
        var client = await service.ReadyClientAsync();
        var location = await client.StartJobAsync(new { samples = new { seed = 9 } });
        var all = await client.EventsAsync(location + "/events");
        Assert.True(all.Count >= 3, $"only {all.Count} events");

        var resumed = await client.EventsAsync(location + "/events", all[1].EventId);
        Assert.Equal(all.Skip(2).Select(e => (e.EventId, e.Data)), resumed.Select(e => (e.EventId, e.Data)));
    }
}
