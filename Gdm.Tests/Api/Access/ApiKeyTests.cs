using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Gdm.Api.Access;
using Gdm.Api.Options;
using Gdm.Tests.Api.Endpoints;
using Gdm.Tests.Api.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gdm.Tests.Api.Access;

/// <summary>
/// API keys and fair shares on the in-memory service: off by default, 401 without a known key, the per-key rate and
/// requests at once (429 with Retry-After, other keys unaffected), /health and /metrics open only where configured,
/// settings checked when the service starts, and the bearer scheme in the OpenAPI document.
/// </summary>
public sealed class ApiKeyTests
{
    [Fact]
    public async Task Keys_are_off_by_default_and_every_endpoint_answers_without_one()
    {
        using var service = new GdmApiFactory();
        var client = await service.ReadyClientAsync();
        Assert.False(service.Services.GetRequiredService<IOptions<ApiKeyOptions>>().Value.Required);
        foreach (var path in new[] { "/v1/models", "/v1/jobs", "/health/ready", "/metrics" })
        {
            using var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Without_a_key_with_an_unknown_one_or_another_scheme_the_API_answers_401_ProblemDetails_with_WWW_Authenticate()
    {
        using var service = new GdmApiFactory(TestKeys.Required());
        var client = await service.ReadyClientAsync();
        var cases = new (AuthenticationHeaderValue? Header, bool Invalid)[]
        {
            (null, false),
            (new AuthenticationHeaderValue("Bearer", "not-a-key"), true),
            (new AuthenticationHeaderValue("Basic", "YWxpY2U6eA=="), true),
        };
        foreach (var (header, invalid) in cases)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
            request.Headers.Authorization = header;
            using var response = await client.SendAsync(request);
            Assert.Equal((HttpStatusCode.Unauthorized, "application/problem+json"), (response.StatusCode, response.Content.Headers.ContentType?.MediaType));
            var challenge = Assert.Single(response.Headers.WwwAuthenticate);
            Assert.Equal("Bearer", challenge.Scheme);
            Assert.StartsWith("realm=\"gdm\"", challenge.Parameter, StringComparison.Ordinal);
            Assert.Equal(invalid, challenge.Parameter!.Contains("error=\"invalid_token\"", StringComparison.Ordinal));
            Assert.Equal(401, (int)(await response.JsonObjectAsync())["status"]!);
        }

        using var posted = await client.PostAsync("/v1/jobs", new { samples = new { seed = 1 } });
        Assert.Equal(HttpStatusCode.Unauthorized, posted.StatusCode);
        var alice = await TestKeys.ClientAsync(service, TestKeys.Alice);
        using var models = await alice.GetAsync("/v1/models");
        Assert.Equal(HttpStatusCode.OK, models.StatusCode);
    }

    [Fact]
    public async Task Health_and_metrics_answer_without_a_key_only_where_configured()
    {
        using var service = new GdmApiFactory(TestKeys.Required());
        var anonymous = await service.ReadyClientAsync();
        var alice = await TestKeys.ClientAsync(service, TestKeys.Alice);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync("/metrics")).StatusCode);

        using var closed = new GdmApiFactory(TestKeys.Required(new() { ["ApiKeys:AnonymousHealth"] = "false", ["ApiKeys:AnonymousMetrics"] = "true" }));
        var client = closed.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task A_key_past_its_rate_gets_429_with_Retry_After_and_another_key_is_still_served()
    {
        using var service = new GdmApiFactory(TestKeys.Required(new() { ["FairShare:RequestsPerMinutePerKey"] = "1", ["FairShare:BurstRequestsPerKey"] = "1" }));
        var alice = await TestKeys.ClientAsync(service, TestKeys.Alice);
        var bob = await TestKeys.ClientAsync(service, TestKeys.Bob);
        // A request that fails its checks still takes its place in the rate: no model work is needed to spend it.
        using var first = await alice.PostAsync("/v1/samples", new { nope = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);

        using var second = await alice.PostAsync("/v1/samples", new { nope = 1 });
        Assert.Equal((HttpStatusCode.TooManyRequests, "application/problem+json"), (second.StatusCode, second.Content.Headers.ContentType?.MediaType));
        Assert.True(second.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After {second.Headers.RetryAfter}");
        Assert.Contains("FairShare:RequestsPerMinutePerKey", (string)(await second.JsonObjectAsync())["detail"]!, StringComparison.Ordinal);
        using var reading = await alice.GetAsync("/v1/jobs");
        Assert.Equal(HttpStatusCode.OK, reading.StatusCode);

        using var bobs = await bob.PostAsync("/v1/samples", new { nope = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, bobs.StatusCode);
    }

    [Fact]
    public async Task A_key_with_its_share_of_requests_in_the_service_gets_429_and_another_key_is_still_admitted()
    {
        using var service = new GdmApiFactory(TestKeys.Required(new() { ["FairShare:ConcurrentRequestsPerKey"] = "1" }), new NetworkGate());
        var alice = await TestKeys.ClientAsync(service, TestKeys.Alice);
        var bob = await TestKeys.ClientAsync(service, TestKeys.Bob);
        service.Gate!.Close();
        var running = alice.PostAsync("/v1/samples", new { count = 1, seed = 1, stepsPerGroup = new[] { 2 } });
        await service.Gate.WaitForCallAsync();

        using var refused = await alice.PostAsync("/v1/samples", new { count = 1, seed = 2 });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Contains("FairShare:ConcurrentRequestsPerKey", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var bobs = await bob.PostAsync("/v1/samples", new { nope = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, bobs.StatusCode);

        service.Gate.Open();
        using var done = await running;
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
    }

    [Theory]
    [InlineData("ApiKeys:Requird", "true", "Requird")]
    [InlineData("ApiKeys:Required", "true", "no key is configured")]
    [InlineData("ApiKeys:KeyHashes:alice", "abc", "SHA-256")]
    [InlineData("ApiKeys:KeyHashFile", "keys.txt", "absolute path")]
    [InlineData("FairShare:RequestsPerMinute", "10", "RequestsPerMinute")]
    public void A_misspelt_or_invalid_key_setting_stops_the_start_and_names_it(string setting, string value, string named)
    {
        using var service = new GdmApiFactory(new Dictionary<string, string?> { [setting] = value });
        var failure = Assert.ThrowsAny<Exception>(() => service.CreateClient());
        Assert.Contains(named, failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_can_come_from_a_file_of_sha256sum_lines()
    {
        var file = Path.Combine(Path.GetTempPath(), $"gdm-keys-{Guid.NewGuid():n}");
        await File.WriteAllTextAsync(file, $"# made with: printf %s \"$KEY\" | sha256sum\n{ApiKeyRing.Hash("carol-key-9a8b")}  carol\n\n");
        try
        {
            using var service = new GdmApiFactory(new Dictionary<string, string?> { ["ApiKeys:Required"] = "true", ["ApiKeys:KeyHashFile"] = file });
            var carol = await TestKeys.ClientAsync(service, "carol-key-9a8b");
            Assert.Equal(HttpStatusCode.OK, (await carol.GetAsync("/v1/jobs")).StatusCode);
            var stranger = await TestKeys.ClientAsync(service, TestKeys.Alice);
            Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/v1/jobs")).StatusCode);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task The_key_file_is_read_once_at_start_so_a_later_bad_edit_does_not_turn_every_request_into_a_500()
    {
        var file = Path.Combine(Path.GetTempPath(), $"gdm-keys-{Guid.NewGuid():n}");
        await File.WriteAllTextAsync(file, $"{ApiKeyRing.Hash("carol-key-9a8b")} carol\n");
        try
        {
            using var service = new GdmApiFactory(new Dictionary<string, string?>
            {
                ["ApiKeys:Required"] = "true", ["ApiKeys:KeyHashFile"] = file, ["ApiKeys:AnonymousHealth"] = "true",
            });
            // The service has started (its options, the key file included, were checked) but has answered nothing yet.
            var carol = await TestKeys.ClientAsync(service, "carol-key-9a8b");
            // The mounted Secret is then edited badly (as a rotation in progress may leave it).
            await File.WriteAllTextAsync(file, "not-a-hash carol\n");

            using var jobs = await carol.GetAsync("/v1/jobs");
            using var live = await carol.GetAsync("/health/live");
            Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (jobs.StatusCode, live.StatusCode));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task The_OpenAPI_document_declares_the_bearer_scheme_with_keys_on_and_each_operation_says_whether_it_needs_it()
    {
        using (var open = new GdmApiFactory())
        {
            var document = JsonNode.Parse(await open.CreateClient().GetStringAsync("/swagger/v1/swagger.json"))!;
            Assert.Null(document["components"]!["securitySchemes"]?["bearer"]);
            Assert.Empty(Assert.Single(document["paths"]!["/v1/jobs"]!["post"]!["security"]!.AsArray())!.AsObject());
        }

        using var keyed = new GdmApiFactory(TestKeys.Required());
        var keyedDocument = JsonNode.Parse(await keyed.CreateClient().GetStringAsync("/swagger/v1/swagger.json"))!;
        var scheme = keyedDocument["components"]!["securitySchemes"]!["bearer"]!;
        Assert.Equal(("http", "bearer"), ((string?)scheme["type"], (string?)scheme["scheme"]));
        foreach (var (path, method) in new[] { ("/v1/jobs", "post"), ("/v1/jobs/{id}", "get"), ("/v1/samples", "post"), ("/v1/models", "get") })
        {
            var operation = keyedDocument["paths"]![path]![method]!;
            Assert.NotNull(operation["security"]![0]!["bearer"]);
            Assert.NotNull(operation["responses"]!["401"]);
        }

        Assert.Empty(Assert.Single(keyedDocument["paths"]!["/health/ready"]!["get"]!["security"]!.AsArray())!.AsObject());
    }
}
