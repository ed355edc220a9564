using System.Net;
using System.Text.Json;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Engine;
using Microsoft.Extensions.DependencyInjection;
using Gdm.Tests.Api.Support;

namespace Gdm.Tests.Api.Endpoints;

/// <summary>Cancelling gives capacity back at once, and a job's progress only moves forward. The network is gated: nothing sleeps.</summary>
public sealed class CapacityTests
{
    [Fact]
    public async Task Deleted_queued_jobs_leave_the_queue_at_once_so_new_work_is_admitted_while_the_batch_stays_busy()
    {
        using var factory = new GdmApiFactory(
            new Dictionary<string, string?> { ["Engine:MaxBatchSize"] = "1", ["Engine:QueueCapacityRequests"] = "3" },
            new NetworkGate());
        var client = await factory.ReadyClientAsync();
        factory.Gate!.Close();
        var running = await client.StartJobAsync(new { samples = new { seed = 1 } });
        await factory.Gate.WaitForCallAsync();
        var queued = new List<string>();
        for (var i = 0; i < 3; i++)
            queued.Add(await client.StartJobAsync(new { samples = new { seed = 10 + i } }));
        using (var full = await client.PostAsync("/v1/jobs", new { samples = new { seed = 20 } }))
            Assert.Equal(HttpStatusCode.TooManyRequests, full.StatusCode);

        foreach (var location in queued)
        {
            using var deleted = await client.DeleteAsync(location);
            var view = JsonSerializer.Deserialize<JobView>(await deleted.Content.ReadAsStringAsync(), ApiCalls.Json)!;
            Assert.Equal("cancelled", view.Status);
            Assert.Equal(0, view.Progress.EvaluationsDone);
        }

        // The worker is still held in the running job's first call, and the queue is free again.
        using var admitted = await client.PostAsync("/v1/jobs", new { samples = new { seed = 21 } });
        Assert.Equal(HttpStatusCode.Accepted, admitted.StatusCode);
        Assert.Equal(1, (await admitted.JsonObjectAsync())["queuePosition"]!.GetValue<long>());
        factory.Gate.Open();
        Assert.Equal("succeeded", (await client.FinishJobAsync(running)).Status);
    }

    [Fact]
    public async Task A_cancelled_running_jobs_progress_stays_at_what_the_delete_answered()
    {
        using var factory = new GdmApiFactory(new Dictionary<string, string?> { ["Engine:MaxBatchSize"] = "2" }, new NetworkGate());
        var client = await factory.ReadyClientAsync();
        factory.Gate!.Close();
        var location = await client.StartJobAsync(new { samples = new { seed = 1, stepsPerGroup = new[] { 50 } } });
        await factory.Gate.WaitForCallAsync();

        using var deleted = await factory.CancelHeldJobAsync(client, location);
        var answered = JsonSerializer.Deserialize<JobView>(await deleted.Content.ReadAsStringAsync(), ApiCalls.Json)!;
        // The worker finishes the step it was in and goes on with other work; the cancelled job must not move.
        await client.ImagesAsync("/v1/samples", new { seed = 2, stepsPerGroup = new[] { 2 } });
        var later = JsonSerializer.Deserialize<JobView>(await client.GetStringAsync(location), ApiCalls.Json)!;

        Assert.Equal("cancelled", answered.Status);
        Assert.Equal(answered.Progress, later.Progress);
    }

    [Fact]
    public async Task A_variation_of_an_uncached_source_announces_the_sources_evaluations_with_its_own_from_the_start()
    {
        using var factory = new GdmApiFactory(gate: new NetworkGate());
        var client = await factory.ReadyClientAsync();
        var groups = Uploads.Process.Grouping.Count;
        var noise = Enumerable.Range(0, groups).Select(_ => (object)new { seed = 4242 }).ToArray();
        factory.Gate!.Close();
        var location = await client.StartJobAsync(new { variations = new { source = new { recipe = new { noise, stepsPerGroup = new[] { 3 } } }, fromGroup = 2, count = 2, seed = 5 } });
        await factory.Gate.WaitForCallAsync();
        var totals = new List<int>();
        var done = new List<int>();
        for (var step = 0; step < 6; step++)
        {
            var view = JsonSerializer.Deserialize<JobView>(await client.GetStringAsync(location), ApiCalls.Json)!;
            totals.Add(view.Progress.EvaluationsTotal);
            done.Add(view.Progress.EvaluationsDone);
            factory.Gate.Allow();
            await factory.Gate.WaitForCallAsync();
        }

        factory.Gate.Open();
        var finished = await client.FinishJobAsync(location);

        // The source (3 steps per group, every group) and two variations from group 2 (3 steps for each later group).
        var expected = 3 * groups + 2 * 3 * (groups - 2);
        Assert.All(totals, total => Assert.Equal(expected, total));
        Assert.Equal(done.Order(), done);
        Assert.Equal((expected, expected), (finished.Progress.EvaluationsDone, finished.Progress.EvaluationsTotal));
    }

    [Fact]
    public async Task A_request_that_cannot_finish_inside_the_deadline_is_refused_at_admission_with_400_saying_why()
    {
        using var factory = new GdmApiFactory(gate: new NetworkGate());
        var client = await factory.ReadyClientAsync();
        var load = factory.Services.GetRequiredService<EngineQueue>().Load;
        for (var i = 0; i < 15; i++)
            load.ObserveCall(load.MaxBatchSize, 0.4); // as measured on a slow machine: 25 ms per evaluation in a full batch

        var body = new { count = 16, seed = 1, stepsPerGroup = new[] { 200 } };
        using var direct = await client.PostAsync("/v1/samples", body);
        using var job = await client.PostAsync("/v1/jobs", new { samples = body });

        foreach (var response in new[] { direct, job })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.JsonObjectAsync();
            Assert.Equal("Too much work for the deadline", problem["title"]!.GetValue<string>());
            Assert.Contains("longer than the deadline of 120 s", problem["detail"]!.GetValue<string>());
        }

        Assert.DoesNotContain(factory.Gate!.BatchTimes, t => t.Length > 2); // nothing of it ran (the warm-up calls are batches of 1 and 2)
    }
}
