using Gdm.Api.Cluster;
using Gdm.Api.Jobs;
using Gdm.Api.Options;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gdm.Api.Hosting;

public static class ClusterRegistration
{
    /// <summary>
    /// The job board: in this process, or in Redis when Cluster:Redis is set (decided when first resolved, from the
    /// bound options), with the cluster worker taking jobs for this replica's engine. Register after AddGdmEngine, so
    /// the worker stops (drains) before the batching engine does.
    /// </summary>
    public static IServiceCollection AddGdmCluster(this IServiceCollection services)
    {
        services.AddSingleton<InMemoryJobBoard>();
        services.AddSingleton<IConnectionMultiplexer>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ClusterOptions>>().Value;
            var configuration = ConfigurationOptions.Parse(options.Redis);
            // A replica that starts before Redis keeps trying instead of failing its start.
            configuration.AbortOnConnectFail = false;
            configuration.ClientName = options.ResolvedReplicaName;
            return ConnectionMultiplexer.Connect(configuration);
        });
        services.AddSingleton(provider => new ClusterKeys(Cluster(provider).KeyPrefix));
        services.AddSingleton(provider => new RedisJobQueue(
            provider.GetRequiredService<IConnectionMultiplexer>(), provider.GetRequiredService<ClusterKeys>(), Cluster(provider).LeaseDuration,
            Cluster(provider).MaxDeliveries, Retention(provider), provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => new RedisJobRecords(
            provider.GetRequiredService<IConnectionMultiplexer>(), provider.GetRequiredService<ClusterKeys>(), Cluster(provider).LeaseDuration,
            Retention(provider), provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ClusterSignals>();
        services.AddSingleton<RedisJobBoard>();
        services.AddSingleton<IJobBoard>(provider => Cluster(provider).Enabled
            ? provider.GetRequiredService<RedisJobBoard>()
            : provider.GetRequiredService<InMemoryJobBoard>());
        // The host's stop timeout counts this drain too (ShutdownOptions.HostStopTimeout).
        services.AddHostedService<ClusterWorker>();
        return services;
    }

    private static ClusterOptions Cluster(IServiceProvider provider) => provider.GetRequiredService<IOptions<ClusterOptions>>().Value;

    private static TimeSpan Retention(IServiceProvider provider) => provider.GetRequiredService<IOptions<JobOptions>>().Value.FinishedJobRetention;
}
