using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Tests.Api.Endpoints;
using Gdm.Tests.Api.Support;
using static Microsoft.Playwright.Assertions;

namespace Gdm.Tests.Api.Explorer;

/// <summary>The grid against a service with a one-request queue whose worker the test holds.</summary>
[Collection(ExplorerBrowser.Collection)]
public sealed class QueueFullTests(ExplorerBrowser browser)
{
    [Fact]
    public async Task A_full_queue_shows_the_retry_after_countdown_a_tile_cancels_its_job_and_the_rest_fill_once_the_queue_moves()
    {
        var gate = new NetworkGate();
        await using var service = new GdmApiFactory(
            new Dictionary<string, string?>
            {
                ["Engine:QueueCapacityRequests"] = "1",
                ["Engine:MaxBatchSize"] = "1",
                ["Engine:RetryAfter"] = "00:00:02",
            },
            gate);
        var address = service.StartKestrel();
        await service.Catalog.WhenReady.WaitAsync(TimeSpan.FromSeconds(60));
        gate.Close();
        var page = await browser.OpenAsync(address);
        var ui = new ExplorerPage(page);

        await ui.NewGridAsync(5, 7000, waitForAll: false);
        var waiting = page.Locator("[data-testid=tile][data-state=waiting]").First;
        await Expect(waiting.GetByTestId("tile-status")).ToHaveTextAsync(new Regex(@"^queue full: retry in [12] s$"));
        var admitted = page.Locator("[data-testid=tile][data-state=queued], [data-testid=tile][data-state=running]").First;
        await Expect(admitted).ToHaveAttributeAsync("data-job", new Regex("."));
        var cancelledJob = await admitted.GetAttributeAsync("data-job");
        await admitted.GetByTestId("tile-cancel").ClickAsync();
        await Expect(page.Locator("[data-testid=tile][data-state=cancelled]")).ToHaveCountAsync(1);

        gate.Open();
        await Expect(page.Locator("[data-testid=tile][data-state=done]")).ToHaveCountAsync(4);
        Assert.Equal("cancelled", await FinalStatusAsync(service, cancelledJob!));
        await page.Context.CloseAsync();
    }

    // The job's last server-sent event says how it ended.
    private static async Task<string> FinalStatusAsync(GdmApiFactory service, string job)
    {
        using var client = service.CreateClient();
        await using var stream = await client.GetStreamAsync($"/v1/jobs/{job}/events");
        JobEvent? last = null;
        await foreach (var item in SseParser.Create(stream).EnumerateAsync())
            last = JsonSerializer.Deserialize<JobEvent>(item.Data, ApiCalls.Json);
        return last!.Status;
    }
}
