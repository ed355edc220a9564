using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Tests.Api.Support;

namespace Gdm.Tests.Api.Endpoints;

public sealed class JobEndpointTests(SharedApi api) : IClassFixture<SharedApi>
{
    [Fact]
    public async Task A_job_answers_202_with_its_location_and_its_events_end_with_done_and_the_result()
    {
        var client = await api.Factory.ReadyClientAsync();
        using var created = await client.PostAsync("/v1/jobs", new { variations = new { source = new { recipe = new { noise = Seeds(7) } }, fromGroup = 1, count = 2, seed = 3 } });
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var accepted = JsonSerializer.Deserialize<JobAccepted>(await created.Content.ReadAsStringAsync(), ApiCalls.Json)!;
        Assert.Equal($"/v1/jobs/{accepted.Id}", created.Headers.Location!.ToString());

        var events = await client.EventsAsync(accepted.Events);

        Assert.Equal("done", events[^1].EventType);
        Assert.All(events[..^1], e => Assert.Equal("progress", e.EventType));
        var done = JsonSerializer.Deserialize<JobEvent>(events[^1].Data, ApiCalls.Json)!;
        Assert.Equal("succeeded", done.Status);
        var view = JsonSerializer.Deserialize<JobView>(await client.GetStringAsync(accepted.Location), ApiCalls.Json)!;
        Assert.Equal(2, view.Result<ImagesResponse>().Images.Count);
        Assert.Equal(1.0, view.Progress.Fraction);
    }

    [Fact]
    public async Task An_unknown_job_is_404_problem()
    {
        var client = await api.Factory.ReadyClientAsync();
        using var response = await client.GetAsync("/v1/jobs/nope");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static object[] Seeds(ulong seed) =>
        Enumerable.Range(0, TestModel.Manifest.ToProcess().Grouping.Count).Select(_ => (object)new { seed }).ToArray();
}
