using System.Net;
using Gdm.Api.Engine;
using Gdm.Tests.Api.Endpoints;
using Gdm.Tests.Api.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Gdm.Tests.Api.Hosting;

/// <summary>A job whose request was still being checked when the drain began is refused with 503, never accepted and then lost.</summary>
public sealed class StoppingAdmissionTests
{
    [Fact]
    public async Task A_job_submitted_after_the_engine_stopped_is_answered_503_with_Retry_After_and_leaves_no_job_behind()
    {
        using var service = new GdmApiFactory();
        var client = await service.ReadyClientAsync();
        service.Services.GetRequiredService<EngineQueue>().Stop();

        using var refused = await client.PostAsync("/v1/jobs", new { samples = new { seed = 1 } });
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "application/problem+json"), (refused.StatusCode, refused.Content.Headers.ContentType?.MediaType));
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal("[]", await client.GetStringAsync("/v1/jobs"));
    }
}
