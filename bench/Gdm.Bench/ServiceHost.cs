using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Gdm.Api.Endpoints;
using Gdm.Api.Hosting;
using Gdm.Api.Inference;
using Gdm.Api.Options;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Gdm.Bench;

/// <summary>The service as Program.cs builds it, on a free loopback port, quiet, with the bench's engine settings.</summary>
public static class ServiceHost
{
    /// <param name="servedDefaults">Keep the service's own queue capacity and deadline (the load mode), instead of the
    /// bench's unbounded ones that let every measured request finish.</param>
    public static async Task<(WebApplication App, Uri Address)> StartAsync(string modelFolder, BenchOptions options, bool servedDefaults = false)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = Directory.GetCurrentDirectory() });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Models:Folder"] = modelFolder,
            ["Models:DefaultModel"] = options.Model ?? "",
            ["Engine:MaxBatchSize"] = options.MaxBatchSize.ToString(CultureInfo.InvariantCulture),
            ["Engine:QueueCapacityRequests"] = servedDefaults ? "64" : "10000",
            ["Engine:RequestDeadline"] = servedDefaults ? "00:02:00" : "00:30:00",
            ["Inference:IntraOpThreads"] = options.IntraOpThreads.ToString(CultureInfo.InvariantCulture),
            ["Inference:Shards"] = options.Shards.ToString(CultureInfo.InvariantCulture),
            ["Inference:AllowSpinning"] = options.AllowSpinning ? "true" : "false",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Serilog:WriteTo:0:Name"] = "Console",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddGdmLogging();
        builder.Services.AddGdmOptions().AddGdmEngine().AddGdmCluster().AddGdmHttp().AddGdmApiKeys();
        var app = builder.Build();
        app.UseGdmHttp();
        app.UseGdmApiKeys();
        app.MapGdmEndpoints();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address));
    }

    /// <summary>
    /// The service on the options' model folder, its models loaded, with the model to measure; null (the reason on
    /// stderr, the service stopped) when the folder serves no such model.
    /// </summary>
    public static async Task<(WebApplication App, Uri Address, LoadedModel Model)?> StartServingAsync(BenchOptions options, string command, bool servedDefaults = false)
    {
        var folder = ModelFolder.Resolve(options.Models, Directory.GetCurrentDirectory());
        var (app, address) = await StartAsync(folder, options, servedDefaults);
        var catalog = app.Services.GetRequiredService<ModelCatalog>();
        await catalog.WhenLoaded;
        if (catalog.TryGet(options.Model, out var model))
            return (app, address, model);
        Console.Error.WriteLine($"{command}: no model to serve in {folder} ({catalog.Status})");
        await app.DisposeAsync();
        return null;
    }
}
