using System.Net.Http.Headers;
using Gdm.Api.Access;

namespace Gdm.Tests.Api.Support;

/// <summary>Two API keys and the settings that make a service require them (their hashes only, as a deployment gives them).</summary>
public static class TestKeys
{
    public const string Alice = "alice-4f7c1e9a2b";
    public const string Bob = "bob-0d3e8a61c5";

    /// <summary>ApiKeys on with alice's and bob's hashes and (unless the settings say otherwise) health open to probes.</summary>
    public static Dictionary<string, string?> Required(Dictionary<string, string?>? settings = null)
    {
        settings ??= [];
        settings["ApiKeys:Required"] = "true";
        settings["ApiKeys:KeyHashes:alice"] = ApiKeyRing.Hash(Alice);
        settings["ApiKeys:KeyHashes:bob"] = ApiKeyRing.Hash(Bob);
        settings.TryAdd("ApiKeys:AnonymousHealth", "true");
        return settings;
    }

    /// <summary>A client of a ready service that sends this key with every request.</summary>
    public static async Task<HttpClient> ClientAsync(GdmApiFactory service, string key)
    {
        ArgumentNullException.ThrowIfNull(service);
        var client = await service.ReadyClientAsync();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
