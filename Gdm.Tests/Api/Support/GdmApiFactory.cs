using System.Net;
using Gdm.Api.Engine;
using Gdm.Api.Inference;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gdm.Tests.Api.Support;

/// <summary>
/// The service in process on the test model, with engine settings a test chooses, an optional gate around the network
/// and an optional hold on model loading. Logs only warnings and errors.
/// </summary>
public sealed class GdmApiFactory : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly TaskCompletionSource? _loadRelease;

    public GdmApiFactory(
        IReadOnlyDictionary<string, string?>? settings = null,
        NetworkGate? gate = null,
        bool holdLoading = false)
    {
        _settings = settings ?? new Dictionary<string, string?>();
        Gate = gate;
        _loadRelease = holdLoading ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null;
    }

    public NetworkGate? Gate { get; }

    public ModelCatalog Catalog => Services.GetRequiredService<ModelCatalog>();

    /// <summary>
    /// DELETEs the job at location while the gate holds the worker, then lets it take one call at a time until the
    /// DELETE answers, and opens the gate. Stepping starts only once the service has registered the cancellation, so
    /// a DELETE that is slow to arrive cannot let the job run on into a later phase or to its end.
    /// </summary>
    public async Task<HttpResponseMessage> CancelHeldJobAsync(HttpClient client, string location)
    {
        ArgumentNullException.ThrowIfNull(client);
        var gate = Gate ?? throw new InvalidOperationException("this factory has no network gate");
        var jobs = Services.GetRequiredService<JobStore>();
        if (!jobs.TryGet(location.Split('/')[^1], out var job))
            throw new InvalidOperationException($"no job at {location}");
        var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = job.Cancellation.Token.Register(() => registered.TrySetResult());
        var deleting = client.DeleteAsync(location);
        await Task.WhenAny(registered.Task, deleting).WaitAsync(TimeSpan.FromSeconds(30));
        await gate.StepUntilAsync(deleting);
        gate.Open();
        return await deleting;
    }

    /// <summary>
    /// Starts the service on Kestrel at a free loopback port instead of the in-memory TestServer (a browser can only
    /// reach a real socket) and answers its address. Call before anything else uses the factory.
    /// </summary>
    public Uri StartKestrel()
    {
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>() ?? throw new InvalidOperationException("Kestrel reports no addresses");
        return new Uri(addresses.Addresses.Single());
    }

    /// <summary>Lets a held model load go on.</summary>
    public void ReleaseLoading() => _loadRelease?.TrySetResult();

    /// <summary>A client of a started service whose models are loaded and warmed up.</summary>
    public async Task<HttpClient> ReadyClientAsync()
    {
        var client = CreateClient();
        await Catalog.WhenReady.WaitAsync(TimeSpan.FromSeconds(60));
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Models:Folder", TestModel.Folder);
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        builder.UseSetting("Serilog:MinimumLevel:Override:Microsoft.AspNetCore", "Warning");
        builder.UseSetting("Serilog:MinimumLevel:Override:Microsoft.Hosting.Lifetime", "Warning");
        builder.UseSetting("Inference:IntraOpThreads", "1");
        builder.UseSetting("Models:WarmUpBatchSize", "2");
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);

        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<INetworkLoader>();
            services.AddSingleton<OnnxNetworkLoader>();
            services.AddSingleton<INetworkLoader>(provider => new TestNetworkLoader(
                TestModel.IsOnnx ? provider.GetRequiredService<OnnxNetworkLoader>() : new AnalyticNetworkLoader(),
                Gate,
                _loadRelease));
        });
    }

    protected override void Dispose(bool disposing)
    {
        Gate?.Open();
        ReleaseLoading();
        base.Dispose(disposing);
    }
}
