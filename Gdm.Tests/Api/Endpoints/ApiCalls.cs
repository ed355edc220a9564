using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gdm.Api.Endpoints;
using Gdm.Api.Endpoints.Contracts;

namespace Gdm.Tests.Api.Endpoints;

/// <summary>Small helpers over HttpClient for the API's JSON.</summary>
public static class ApiCalls
{
    public static JsonSerializerOptions Json => RecipeMapping.Json;

    public static async Task<HttpResponseMessage> PostAsync(this HttpClient client, string path, object body) =>
        await client.PostAsJsonAsync(path, body, Json);

    public static async Task<ImagesResponse> ImagesAsync(this HttpClient client, string path, object body)
    {
        using var response = await client.PostAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<ImagesResponse>(text, Json)!;
    }

    /// <summary>Posts a JSON object or ready content and reads the successful answer as T.</summary>
    public static async Task<T> ReadAsync<T>(this HttpClient client, string path, object body)
    {
        using var response = body is HttpContent content ? await client.PostAsync(path, content) : await client.PostAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<T>(text, Json)!;
    }

    /// <summary>Posts a job (202 means it is in the queue) and returns its location.</summary>
    public static async Task<string> StartJobAsync(this HttpClient client, object body)
    {
        using var response = await client.PostAsync("/v1/jobs", body);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return response.Headers.Location!.ToString();
    }

    /// <summary>Follows a job's events to its end and returns the finished job.</summary>
    public static async Task<JobView> FinishJobAsync(this HttpClient client, string location)
    {
        await using (var stream = await client.GetStreamAsync(location + "/events"))
            await foreach (var _ in System.Net.ServerSentEvents.SseParser.Create(stream).EnumerateAsync())
            {
            }

        return JsonSerializer.Deserialize<JobView>(await client.GetStringAsync(location), Json)!;
    }

    /// <summary>A job's server-sent events from the start, or after Last-Event-ID when given, to the end of the stream.</summary>
    public static async Task<List<System.Net.ServerSentEvents.SseItem<string>>> EventsAsync(this HttpClient client, string events, string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, events);
        if (lastEventId is not null)
            request.Headers.Add("Last-Event-ID", lastEventId);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync();
        var items = new List<System.Net.ServerSentEvents.SseItem<string>>();
        await foreach (var item in System.Net.ServerSentEvents.SseParser.Create(stream).EnumerateAsync())
            items.Add(item);
        return items;
    }

    /// <summary>Reads the job until its view satisfies the condition; a deadline (120 s unless given), not a clock, decides failure.</summary>
    public static async Task<JobView> PollJobAsync(this HttpClient client, string location, Func<JobView, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var view = JsonSerializer.Deserialize<JobView>(await client.GetStringAsync(location), Json)!;
            if (condition(view))
                return view;
            Assert.True(deadline.Elapsed < (timeout ?? TimeSpan.FromSeconds(120)), $"job {location} stayed {view.Status} ({view.Progress.EvaluationsDone}/{view.Progress.EvaluationsTotal})");
            await Task.Delay(20);
        }
    }

    /// <summary>A succeeded job's result as its operation's answer type.</summary>
    public static T Result<T>(this JobView job) => job.Result!.Deserialize<T>(Json)!;

    public static async Task<JsonObject> JsonObjectAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    public static float[] Floats(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        var values = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }
}
