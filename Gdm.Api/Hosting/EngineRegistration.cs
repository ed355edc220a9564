using Gdm.Api.Engine;
using Gdm.Api.Inference;

namespace Gdm.Api.Hosting;

public static class EngineRegistration
{
    /// <summary>The model catalog and its loader, the bounded queue, the one batching worker, recent outputs and jobs.</summary>
    public static IServiceCollection AddGdmEngine(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<INetworkLoader, OnnxNetworkLoader>();
        services.AddHostedService<ModelLoader>();
        services.AddSingleton<EngineQueue>();
        services.AddSingleton<IEngineQueue>(provider => provider.GetRequiredService<EngineQueue>());
        services.AddHostedService<BatchingWorker>();
        services.AddSingleton<RecentOutputs>();
        services.AddSingleton<ImageGenerator>();
        services.AddSingleton<JobStore>();
        services.AddSingleton<Endpoints.Operations.OperationCatalog>();
        return services;
    }
}
