using System.Net;
using System.Text.Json.Nodes;
using Gdm.Tests.Api.Support;

namespace Gdm.Tests.Api.Endpoints;

public sealed class ServiceTests(SharedApi api) : IClassFixture<SharedApi>
{
    public static TheoryData<string, string, string> InvalidRequests => new()
    {
        { "/v1/samples", """{ "count": 0 }""", "count" },
        { "/v1/samples", """{ "count": 1000 }""", "count" },
        { "/v1/samples", """{ "stepsPerGroup": [0] }""", "stepsPerGroup[0]" },
        { "/v1/samples", """{ "stepsPerGroup": [2, 2] }""", "stepsPerGroup" },
        { "/v1/samples", """{ "sampler": "rk4" }""", "sampler" },
        { "/v1/samples", """{ "model": "missing" }""", "model" },
        { "/v1/samples", """{ "noise": [ { "seed": 1 } ] }""", "noise" },
        { "/v1/samples", """{ "latent": "AAAA" }""", "latent" },
        { "/v1/samples", """{ "count": "two" }""", "count" },
        { "/v1/samples", """not json""", "body" },
        { "/v1/variations", """{ "source": { "recipe": { "noise": null } }, "fromGroup": 1 }""", "source.recipe.noise" },
        { "/v1/variations", """{ "fromGroup": 1 }""", "source" },
        { "/v1/variations", """{ "source": { "recipe": { } }, "fromGroup": 99 }""", "fromGroup" },
        { "/v1/variations", """{ "source": { "recipe": { } }, "groups": [1], "strength": 2 }""", "strength" },
        { "/v1/variations", """{ "source": { "recipe": { } }, "groups": [-1] }""", "groups[0]" },
        { "/v1/variations", """{ "source": { "recipe": { } } }""", "groups" },
        { "/v1/samples", $$"""{ "noise": {{Noise}}, "prefix": { "fromGroup": 1 } }""", "prefix.source" },
        { "/v1/samples", $$"""{ "noise": {{Noise}}, "prefix": { "fromGroup": 0, "coefficients": "" } }""", "prefix.fromGroup" },
        { "/v1/samples", $$"""{ "noise": {{Noise}}, "prefix": { "fromGroup": 1, "coefficients": "AAAA" } }""", "prefix.coefficients" },
        { "/v1/jobs", """{ }""", "body" },
        { "/v1/jobs", """{ "samples": { "count": -1 } }""", "samples.count" },
    };

    // A valid noise list for the test model: one seed per group.
    private static string Noise => "[" + string.Join(",", Enumerable.Repeat("""{ "seed": 1 }""", TestModel.Manifest.ToProcess().Grouping.Count)) + "]";

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public async Task Invalid_inputs_give_400_problem_details_naming_the_field(string path, string body, string field)
    {
        var client = await api.Factory.ReadyClientAsync();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(path, content);
        var problem = await response.JsonObjectAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), $"errors name {problem["errors"]!.ToJsonString()}, not {field}");
        Assert.StartsWith(field, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_problem_details()
    {
        var client = await api.Factory.ReadyClientAsync();
        using var content = new StringContent($$"""{ "latent": "{{new string('A', 2 << 20)}}" }""", System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/v1/samples", content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("body", (await response.JsonObjectAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Options_are_validated_when_the_host_starts()
    {
        StartupValidation.Validate(new Dictionary<string, string?> { ["Engine:MaxBatchSize"] = "4" });
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            StartupValidation.Validate(new Dictionary<string, string?> { ["Engine:MaxBatchSize"] = "0" }));
        Assert.Contains("MaxBatchSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_upload_body_limit_that_cannot_hold_one_base64_image_is_refused_when_the_host_starts()
    {
        StartupValidation.Validate(new Dictionary<string, string?>
        {
            ["Uploads:MaxImageBytes"] = "1000000",
            ["Uploads:MaxRequestBodyBytes"] = "2000000",
        });
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => StartupValidation.Validate(new Dictionary<string, string?>
        {
            ["Uploads:MaxImageBytes"] = "1000000",
            ["Uploads:MaxRequestBodyBytes"] = "1000000",
        }));
        Assert.Contains("MaxRequestBodyBytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readiness_is_false_before_the_model_loads_and_true_after()
    {
        using var factory = new GdmApiFactory(holdLoading: true);
        var client = factory.CreateClient();

        using var live = await client.GetAsync("/health/live");
        using var notReady = await client.GetAsync("/health/ready");
        using var notYet = await client.PostAsync("/v1/samples", new { seed = 1 });
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notYet.StatusCode);
        Assert.NotNull(notYet.Headers.RetryAfter);

        factory.ReleaseLoading();
        await factory.Catalog.WhenReady.WaitAsync(TimeSpan.FromSeconds(60));
        using var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Asking_for_cuda_without_a_usable_cuda_runtime_falls_back_to_the_cpu()
    {
        using var factory = new GdmApiFactory(new Dictionary<string, string?> { ["Inference:ExecutionProvider"] = "Cuda" });
        var client = await factory.ReadyClientAsync();
        var network = factory.Catalog.Models[0].Network;

        if (network is Gdm.Api.Inference.OnnxImageNetwork onnx)
            Assert.Equal(Gdm.Api.Inference.ExecutionProviderKind.Cpu, onnx.Provider);
        Assert.Single((await client.ImagesAsync("/v1/samples", new { seed = 1, stepsPerGroup = new[] { 1 } })).Images);
    }

    [Fact]
    public async Task A_model_whose_checksum_does_not_match_its_manifest_is_refused()
    {
        var folder = Directory.CreateTempSubdirectory("gdm-bad-model").FullName;
        var model = Path.Combine(folder, "broken");
        Directory.CreateDirectory(model);
        foreach (var file in Directory.GetFiles(TestModel.Folder))
            File.Copy(file, Path.Combine(model, Path.GetFileName(file)));
        await File.AppendAllTextAsync(Path.Combine(model, TestModel.Manifest.Network.OnnxFile), "tampered");
        using var factory = new GdmApiFactory(new Dictionary<string, string?> { ["Models:Folder"] = folder });
        var client = factory.CreateClient();

        await factory.Catalog.WhenLoaded.WaitAsync(TimeSpan.FromSeconds(60));
        using var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.False(factory.Catalog.IsReady);
        Assert.Empty(factory.Catalog.Models);
    }

    [Fact]
    public async Task The_swagger_document_is_served_and_lists_every_endpoint_with_a_summary()
    {
        var client = await api.Factory.ReadyClientAsync();
        var document = JsonNode.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"))!;
        var paths = document["paths"]!.AsObject();

        (string Path, string Method)[] expected =
        [
            ("/v1/models", "get"), ("/v1/samples", "post"), ("/v1/variations", "post"), ("/v1/jobs", "post"),
            ("/v1/jobs/{id}", "get"), ("/v1/jobs/{id}", "delete"), ("/v1/jobs/{id}/events", "get"),
            ("/health/live", "get"), ("/health/ready", "get"), ("/v1/encode", "post"), ("/v1/mix", "post"), ("/v1/traverse", "post"),
            ("/v1/interpolate", "post"), ("/v1/levels", "post"), ("/v1/recipes/read", "post"), ("/v1/jobs", "get"),
        ];
        foreach (var (path, method) in expected)
        {
            var operation = paths[path]?[method];
            Assert.True(operation is not null, $"{method.ToUpperInvariant()} {path} is not in the Swagger document");
            Assert.False(string.IsNullOrWhiteSpace(operation!["summary"]?.GetValue<string>()), $"{method} {path} has no summary");
        }

        // Every request example works as it stands ("Try it out").
        var posted = 0;
        foreach (var (path, item) in paths)
        {
            if (item!["post"]?["requestBody"]?["content"]?["application/json"]?["example"] is not { } example)
                continue;
            using var content = new StringContent(example.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
            using var response = await client.PostAsync(path, content);
            Assert.True(response.IsSuccessStatusCode, $"the example of {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            posted++;
        }

        Assert.Equal(9, posted);

        // Every endpoint that takes images documents its multipart form, whose example works with one uploaded PNG: the
        // recipe reader's example, which carries a recipe.
        var png = Convert.FromBase64String(paths["/v1/recipes/read"]!["post"]!["requestBody"]!["content"]!["application/json"]!["example"]!["image"]!["base64"]!.GetValue<string>());
        foreach (var path in new[] { "/v1/encode", "/v1/variations", "/v1/mix", "/v1/traverse", "/v1/interpolate", "/v1/levels", "/v1/recipes/read", "/v1/jobs" })
        {
            var form = paths[path]!["post"]!["requestBody"]!["content"]!["multipart/form-data"]!["schema"]!["properties"]!;
            Assert.Equal("binary", form["images"]!["items"]!["format"]!.GetValue<string>());
            using var content = new MultipartFormDataContent
            {
                { new StringContent(form["request"]!["example"]!.ToJsonString()), "request" },
                { new ByteArrayContent(png), "images", "upload.png" },
            };
            using var response = await client.PostAsync(path, content);
            Assert.True(response.IsSuccessStatusCode, $"the multipart example of {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/swagger/index.html")).StatusCode);
        // The root serves the explorer page when there is one, else redirects to the API description.
        using var root = await api.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false }).GetAsync("/");
        Assert.True(root.StatusCode == HttpStatusCode.Redirect ? root.Headers.Location!.ToString() == "/swagger" : root.Content.Headers.ContentType?.MediaType == "text/html",
            $"GET / answered {(int)root.StatusCode}");
    }

    [Fact]
    public async Task The_job_schema_types_the_result_of_each_kind_as_its_operations_answer()
    {
        var client = await api.Factory.ReadyClientAsync();
        var document = JsonNode.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"))!;
        var schemas = document["components"]!["schemas"]!;
        var view = schemas["JobView"]!;
        var answers = new Dictionary<string, string>
        {
            ["samples"] = "ImagesResponse", ["variations"] = "ImagesResponse", ["mix"] = "ImagesResponse", ["interpolate"] = "ImagesResponse",
            ["encode"] = "EncodeResponse", ["traverse"] = "TraverseResponse", ["levels"] = "LevelsResponse",
        };

        Assert.Equal("kind", view["discriminator"]!["propertyName"]!.GetValue<string>());
        var mapping = view["discriminator"]!["mapping"]!.AsObject();
        Assert.Equal(answers.Keys.Order(), mapping.Select(m => m.Key).Order());
        Assert.Equal(answers.Count, view["oneOf"]!.AsArray().Count);
        foreach (var (kind, answer) in answers)
        {
            var variant = schemas[mapping[kind]!.GetValue<string>().Split('/')[^1]]!;
            Assert.Equal(kind, variant["properties"]!["kind"]!["enum"]![0]!.GetValue<string>());
            Assert.Equal($"#/components/schemas/{answer}", variant["properties"]!["result"]!["$ref"]!.GetValue<string>());
        }

        Assert.Equal("#/components/schemas/JobView", document["paths"]!["/v1/jobs/{id}"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
    }

    [Fact]
    public async Task Metrics_report_queue_depth_active_trajectories_batch_size_step_latency_and_requests_by_outcome()
    {
        var client = await api.Factory.ReadyClientAsync();
        await client.ImagesAsync("/v1/samples", new { seed = 1 });
        var metrics = await client.GetStringAsync("/metrics");

        foreach (var name in new[] { "gdm_queue_depth_requests", "gdm_active_trajectories", "gdm_batch_size_trajectories_bucket", "gdm_step_duration_seconds_bucket" })
            Assert.Contains(name, metrics, StringComparison.Ordinal);
        Assert.Contains("gdm_requests_total{endpoint=\"Samples\",outcome=\"ok\"}", metrics, StringComparison.Ordinal);
    }
}
