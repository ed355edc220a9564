using System.Net;
using System.Text.Json;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Tests.Api.Support;

namespace Gdm.Tests.Api.Endpoints;

/// <summary>Behaviour under load: batch invariance, a full queue, cancelling a running job. The network is gated, so nothing sleeps.</summary>
public sealed class LoadTests
{
    [Fact]
    public async Task The_same_seed_gives_the_same_image_alone_and_inside_a_busy_batch()
    {
        using var factory = new GdmApiFactory(new Dictionary<string, string?> { ["Engine:MaxBatchSize"] = "8" }, new NetworkGate());
        var client = await factory.ReadyClientAsync();
        var alone = await client.ImagesAsync("/v1/samples", new { seed = 5, format = "pixels" });

        factory.Gate!.Close();
        var busy = await client.StartJobAsync(new { samples = new { seed = 1000, count = 5, format = "pixels" } });
        await factory.Gate.WaitForCallAsync();
        factory.Gate.Allow(3);
        for (var i = 0; i < 3; i++)
            await factory.Gate.WaitForCallAsync();
        // Both are in the queue once answered 202: they join the busy batch mid-way, each at its own time.
        var again = await client.StartJobAsync(new { samples = new { seed = 5, format = "pixels" } });
        var others = await client.StartJobAsync(new { samples = new { seed = 2000, count = 2, stepsPerGroup = new[] { 3 }, sampler = "heun", format = "pixels" } });
        factory.Gate.Open();
        await client.FinishJobAsync(busy);
        await client.FinishJobAsync(others);
        var inBatch = (await client.FinishJobAsync(again)).Result<ImagesResponse>();

        Assert.Contains(factory.Gate.BatchTimes, times => times.Length > 1 && times.Distinct().Count() > 1);
        var range = TestModel.Manifest.ValueRange;
        var maxGreyLevels = ApiCalls.Floats(alone.Images[0].Pixels!)
            .Zip(ApiCalls.Floats(inBatch.Images[0].Pixels!), (a, b) => Math.Abs(a - b) * 255 / (range[1] - range[0]))
            .Max();
        Assert.True(maxGreyLevels <= 1.0, $"the image moved by {maxGreyLevels} grey levels inside a busy batch");
        Assert.Equal(alone.Images[0].Pixels, inBatch.Images[0].Pixels);
    }

    [Fact]
    public async Task A_full_queue_answers_429_with_retry_after()
    {
        using var factory = new GdmApiFactory(
            new Dictionary<string, string?> { ["Engine:MaxBatchSize"] = "1", ["Engine:QueueCapacityRequests"] = "1", ["Engine:RetryAfter"] = "00:00:03" },
            new NetworkGate());
        var client = await factory.ReadyClientAsync();
        factory.Gate!.Close();
        using var running = await client.PostAsync("/v1/jobs", new { samples = new { seed = 1 } });
        await factory.Gate.WaitForCallAsync();
        using var queued = await client.PostAsync("/v1/jobs", new { samples = new { seed = 2 } });

        using var refused = await client.PostAsync("/v1/samples", new { seed = 3 });
        using var refusedJob = await client.PostAsync("/v1/jobs", new { samples = new { seed = 4 } });

        Assert.Equal(HttpStatusCode.Accepted, running.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        Assert.Equal(1, (await queued.JsonObjectAsync())["queuePosition"]!.GetValue<long>());
        foreach (var response in new[] { refused, refusedJob })
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Delete_ends_a_running_job_as_cancelled_and_frees_its_slot()
    {
        using var factory = new GdmApiFactory(
            new Dictionary<string, string?> { ["Engine:MaxBatchSize"] = "1", ["Engine:QueueCapacityRequests"] = "1" },
            new NetworkGate());
        var client = await factory.ReadyClientAsync();
        factory.Gate!.Close();
        using var created = await client.PostAsync("/v1/jobs", new { samples = new { seed = 1, stepsPerGroup = new[] { 100 } } });
        var location = created.Headers.Location!.ToString();
        await factory.Gate.WaitForCallAsync();
        var view = JsonSerializer.Deserialize<JobView>(await client.GetStringAsync(location), ApiCalls.Json)!;
        Assert.Equal("running", view.Status);

        using var deleted = await factory.CancelHeldJobAsync(client, location);
        var cancelled = JsonSerializer.Deserialize<JobView>(await deleted.Content.ReadAsStringAsync(), ApiCalls.Json)!;

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal("cancelled", cancelled.Status);
        Assert.True(cancelled.Progress.EvaluationsDone < cancelled.Progress.EvaluationsTotal);
        // With one batch slot and one queue place, this succeeds only because the cancelled job gave both back.
        var next = await client.ImagesAsync("/v1/samples", new { seed = 2 });
        Assert.Single(next.Images);
        using var again = await client.DeleteAsync(location);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task A_client_that_disconnects_leaves_the_batch_at_the_next_step()
    {
        using var factory = new GdmApiFactory(new Dictionary<string, string?> { ["Engine:MaxBatchSize"] = "1" }, new NetworkGate());
        var client = await factory.ReadyClientAsync();
        factory.Gate!.Close();
        using var disconnect = new CancellationTokenSource();
        var abandoned = client.PostAsync("/v1/samples", ImageEndpointTests.JsonContent(new { seed = 1, stepsPerGroup = new[] { 100 } }), disconnect.Token);
        await factory.Gate.WaitForCallAsync();
        var next = client.ImagesAsync("/v1/samples", new { seed = 2, stepsPerGroup = new[] { 1 } });
        var callsBefore = factory.Gate.BatchTimes.Count;

        await disconnect.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        await factory.Gate.StepUntilAsync(next);

        // The abandoned request finished at most the step in flight; then the one-step groups of the next one ran.
        var groups = TestModel.Manifest.ToProcess().Grouping.Count;
        Assert.InRange(factory.Gate.BatchTimes.Count - callsBefore, groups, groups + 1);
    }

    [Fact]
    public async Task A_request_past_its_deadline_is_answered_503_with_retry_after()
    {
        using var factory = new GdmApiFactory(new Dictionary<string, string?> { ["Engine:RequestDeadline"] = "00:00:00.300" }, new NetworkGate());
        var client = await factory.ReadyClientAsync();
        factory.Gate!.Close();

        using var response = await client.PostAsync("/v1/samples", new { seed = 1 });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal("Deadline exceeded", (await response.JsonObjectAsync())["title"]!.GetValue<string>());
    }
}
