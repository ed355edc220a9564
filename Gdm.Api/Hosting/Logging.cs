using Serilog;

namespace Gdm.Api.Hosting;

public static class Logging
{
    /// <summary>Serilog from the "Serilog" configuration section; one host's logger, the static one left alone (tests run many hosts).</summary>
    public static WebApplicationBuilder AddGdmLogging(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSerilog(
            (services, logger) => logger
                .ReadFrom.Configuration(builder.Configuration)
                .ReadFrom.Services(services)
                .Enrich.FromLogContext(),
            preserveStaticLogger: true);
        return builder;
    }
}
