namespace Gdm.Api.Options;

public static class OptionsRegistration
{
    /// <summary>
    /// Binds every options class to its section and checks it when the host starts, not at first use. A setting name
    /// the section does not have fails the start too: a misspelt ApiKeys:Required must not leave the keys off.
    /// </summary>
    public static IServiceCollection AddGdmOptions(this IServiceCollection services)
    {
        Bind<ModelStoreOptions>(services, ModelStoreOptions.Section);
        Bind<InferenceOptions>(services, InferenceOptions.Section);
        Bind<EngineOptions>(services, EngineOptions.Section);
        Bind<RequestLimitOptions>(services, RequestLimitOptions.Section);
        Bind<JobOptions>(services, JobOptions.Section);
        Bind<UploadOptions>(services, UploadOptions.Section);
        Bind<ShutdownOptions>(services, ShutdownOptions.Section);
        Bind<ClusterOptions>(services, ClusterOptions.Section);
        Bind<ApiKeyOptions>(services, ApiKeyOptions.Section);
        Bind<FairShareOptions>(services, FairShareOptions.Section);
        return services;
    }

    private static void Bind<TOptions>(IServiceCollection services, string section)
        where TOptions : class =>
        services.AddOptions<TOptions>().BindConfiguration(section, binder => binder.ErrorOnUnknownConfiguration = true).ValidateDataAnnotations().ValidateOnStart();
}
