using Gdm.Api.Hosting;
using Gdm.Api.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gdm.Tests.Api.Hosting;

/// <summary>
/// The host's stop timeout covers both drains, which run one after the other (requests in flight, then in cluster
/// mode the running jobs): with 20 s each the host had 30 s, and gave up on a draining replica 10 s early.
/// </summary>
public sealed class HostStopTimeoutTests
{
    [Theory]
    [InlineData(null, 30)]
    [InlineData("127.0.0.1:6379", 50)]
    public void The_host_waits_for_the_request_drain_then_the_cluster_drain_then_a_margin(string? redis, int seconds)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Shutdown:DrainTime"] = "00:00:20",
            ["Cluster:DrainTimeout"] = "00:00:20",
        };
        if (redis is not null)
            settings["Cluster:Redis"] = redis;
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddGdmOptions().AddGdmHttp().AddGdmCluster();
        using var provider = services.BuildServiceProvider();

        var host = provider.GetRequiredService<IOptions<HostOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(seconds), host.ShutdownTimeout);
    }
}
