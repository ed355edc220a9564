using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gdm.Tests.Api.Support;

namespace Gdm.Tests.Api.Endpoints;

/// <summary>
/// The mistakes a new user made against the first service (issue 11), each with the exact 400 it gets now: the member
/// named by its JSON path, in the client's words, the allowed values listed, no .NET type anywhere.
/// </summary>
public sealed class WireContractTests(SharedApi api) : IClassFixture<SharedApi>
{
    private const string Members = "model, version, grid, count, seed, stepsPerGroup, sampler, format, noise, latent, prefix";

    private static string Noise => "[" + string.Join(",", Enumerable.Repeat("""{ "seed": 1 }""", TestModel.Manifest.ToProcess().Grouping.Count)) + "]";

    public static TheoryData<string, string, string, string> Mistakes => new()
    {
        { "/v1/samples", """{ "cout": 2 }""", "cout", $"is not a member here; the members are {Members}" },
        { "/v1/samples", """{ "stepPerGroup": [2] }""", "stepPerGroup", $"is not a member here; the members are {Members}" },
        { "/v1/samples", """{ "smapler": "heun" }""", "smapler", $"is not a member here; the members are {Members}" },
        { "/v1/samples", """{ "sampler": "ddim" }""", "sampler", "must be one of euler, heun, heunEulerLast, got 'ddim'" },
        { "/v1/samples", """{ "format": "PNG" }""", "format", "must be one of png, coefficients, pixels, got 'PNG'" },
        { "/v1/samples", """{ "seed": -5 }""", "seed", "must be an integer between 0 and 9007199254740991, got -5" },
        { "/v1/samples", """{ "seed": 9007199254740992 }""", "seed", "must be an integer between 0 and 9007199254740991, got 9007199254740992" },
        { "/v1/samples", """{ "seed": 1.5 }""", "seed", "must be an integer between 0 and 9007199254740991, got 1.5" },
        { "/v1/samples", """{ "count": "two" }""", "count", "must be an integer, got a string" },
        { "/v1/samples", """{ "noise": [ { "sede": 5 } ] }""", "noise[0].sede", "is not a member here; the members are seed, redraws" },
        { "/v1/samples", """{ "noise": [ { } ] }""", "noise[0].seed", "is required" },
        { "/v1/samples", "", "body", "is empty: send a JSON object (Content-Type: application/json)" },
        { "/v1/samples", "not json", "body", "is not JSON: it cannot be read at line 1, byte 2" },
        { "/v1/samples", "[1, 2]", "body", "must be a JSON object, got an array" },
        { "/v1/variations", $$"""{ "source": { "recipe": { "noise": {{Noise}} } }, "fromGroup": 1, "strenght": 0.5 }""", "strenght",
            "is not a member here; the members are source, model, groups, fromGroup, strength, count, seed, stepsPerGroup, sampler, format" },
        { "/v1/variations", $$"""{ "source": { "recipe": { "noise": {{Noise}} } }, "from_group": 1 }""", "from_group",
            "is not a member here; the members are source, model, groups, fromGroup, strength, count, seed, stepsPerGroup, sampler, format" },
        // A bare recipe where every endpoint takes { recipe | image }.
        { "/v1/variations", $$"""{ "source": { "noise": {{Noise}} }, "fromGroup": 1 }""", "source.noise", "is not a member here; the members are recipe, image" },
        { "/v1/mix", $$"""{ "sources": [ { "noise": {{Noise}} }, { "recipe": { "noise": {{Noise}} } } ], "groupSources": [0, 1] }""", "sources[0].noise",
            "is not a member here; the members are recipe, image" },
        { "/v1/traverse", """{ "source": { }, "values": [1] }""", "source", "give the source as exactly one of { \"recipe\": ... } or { \"image\": ... }" },
        { "/v1/encode", """{ "image": { "base64": "" }, "sampler": "rk4" }""", "sampler", "must be one of euler, heun, heunEulerLast, got 'rk4'" },
        { "/v1/jobs", """{ "sample": { } }""", "sample", "is not an operation; the operations are samples, variations, encode, mix, traverse, interpolate, levels" },
        { "/v1/jobs", """{ "samples": { "cout": 2 } }""", "samples.cout", $"is not a member here; the members are {Members}" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task A_mistake_gets_a_400_naming_the_member_in_the_clients_words(string path, string body, string field, string message)
    {
        var client = await api.Factory.ReadyClientAsync();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        var problem = await response.JsonObjectAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(message, problem["errors"]![field]![0]!.GetValue<string>());
        Assert.StartsWith($"{field}: {message}", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Gdm.", text, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string?, int, string> RoutingMistakes => new()
    {
        { "POST", "/v1/sample", "application/json", 404, "POST /v1/sample: there is no such endpoint; /swagger lists them all" },
        { "GET", "/v1/samples", null, 405, "/v1/samples does not take GET; it takes POST" },
        { "POST", "/v1/samples", "text/plain", 415,
            "/v1/samples does not read a body of Content-Type 'text/plain; charset=utf-8': send JSON as application/json (the endpoints that take images also read multipart/form-data)" },
    };

    [Theory]
    [MemberData(nameof(RoutingMistakes))]
    public async Task A_wrong_path_method_or_body_type_gets_a_problem_that_says_what_to_do(string method, string path, string? contentType, int status, string detail)
    {
        var client = await api.Factory.ReadyClientAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (contentType is not null)
            request.Content = new StringContent("{}", Encoding.UTF8, contentType);
        using var response = await client.SendAsync(request);
        var problem = await response.JsonObjectAsync();

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(detail, problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_seed_the_server_draws_is_an_integer_a_javascript_client_holds_exactly()
    {
        var client = await api.Factory.ReadyClientAsync();
        var made = await client.ImagesAsync("/v1/samples", new { count = 2, stepsPerGroup = new[] { 1 }, format = "coefficients" });
        Assert.InRange(made.Seed!.Value + 1, 1UL, (1UL << 53) - 1);
    }

    [Fact]
    public async Task A_source_recipe_with_thousands_of_redraws_in_one_group_is_a_400_naming_them()
    {
        // Every image made from a recipe copies its redraws into its own recipe and PNG: unbounded, a few MB of request
        // made answers of hundreds of MB.
        var client = await api.Factory.ReadyClientAsync();
        var redraws = new JsonArray(Enumerable.Range(0, 5000).Select(_ => (JsonNode)new JsonObject { ["seed"] = 1, ["strength"] = 0.5 }).ToArray());
        var noise = new JsonArray(Enumerable.Range(0, 6).Select(g => (JsonNode)new JsonObject { ["seed"] = 1 }).ToArray());
        noise[5]!["redraws"] = redraws;
        var body = new JsonObject
        {
            ["source"] = new JsonObject { ["recipe"] = new JsonObject { ["noise"] = noise, ["stepsPerGroup"] = new JsonArray(1) } },
            ["groups"] = new JsonArray(0),
            ["count"] = 16,
            ["seed"] = 1,
        };
        using var response = await client.PostAsync("/v1/variations", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var answer = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("source.recipe.noise[5].redraws", answer, StringComparison.Ordinal);
    }
}
