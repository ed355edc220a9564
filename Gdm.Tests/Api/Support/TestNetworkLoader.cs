using Gdm.Api.Inference;
using Gdm.Core.Models;
using Gdm.Core.Sampling;

namespace Gdm.Tests.Api.Support;

/// <summary>
/// Wraps the service's network loader for tests: optionally holds loading until released (readiness tests) and puts
/// a NetworkGate around every loaded network (tests that need the worker held between steps).
/// </summary>
public sealed class TestNetworkLoader(INetworkLoader inner, NetworkGate? gate, TaskCompletionSource? release) : INetworkLoader
{
    public IImageNetwork Load(ModelManifest manifest, string onnxPath)
    {
        release?.Task.Wait(TimeSpan.FromSeconds(60));
        var network = inner.Load(manifest, onnxPath);
        return gate?.Wrap(network) ?? network;
    }
}

/// <summary>Loads the analytic network for any manifest (used until a real exported model exists for a test).</summary>
public sealed class AnalyticNetworkLoader : INetworkLoader
{
    public IImageNetwork Load(ModelManifest manifest, string onnxPath) => new AnalyticNetwork(manifest.Shape);
}
