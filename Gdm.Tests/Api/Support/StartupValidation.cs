using Gdm.Api.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gdm.Tests.Api.Support;

/// <summary>
/// Runs the checks the host runs when it starts (every options class registered with ValidateOnStart) on the
/// service's own options registration and the given settings over the test model's folder. A start that fails
/// through WebApplicationFactory races with the entry point disposing the host, so such a test can see an
/// ObjectDisposedException instead of the refusal; this runs the same validators without that race.
/// </summary>
internal static class StartupValidation
{
    /// <summary>Throws the host's OptionsValidationException when a setting is refused.</summary>
    public static void Validate(IReadOnlyDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Models:Folder"] = TestModel.Folder })
            .AddInMemoryCollection(settings)
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddGdmOptions();
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
    }
}
