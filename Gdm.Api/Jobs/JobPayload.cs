using System.Text.Json;
using Gdm.Api.Endpoints;

namespace Gdm.Api.Jobs;

/// <summary>
/// A job as stored for another replica to run: the request as the client sent it and the uploaded files its image
/// fields name (base64 in JSON), so the replica that takes it checks and plans exactly what the client asked for.
/// </summary>
public sealed record JobPayload(JsonElement Request, IReadOnlyList<byte[]> Files)
{
    public string ToJson() => JsonSerializer.Serialize(this, RecipeMapping.Json);

    public static JobPayload FromJson(string json) =>
        JsonSerializer.Deserialize<JobPayload>(json, RecipeMapping.Json) ?? throw new JsonException("an empty job payload");
}
