using Gdm.Api.Endpoints;
using Gdm.Api.Hosting;
using Gdm.Api.Options;
using Prometheus;

var builder = WebApplication.CreateBuilder(HostFolders.Options(args));
builder.AddGdmLogging();
builder.Services
    .AddGdmOptions()
    .AddGdmEngine()
    .AddGdmCluster()
    .AddGdmHttp()
    .AddGdmApiKeys()
    .AddGdmApiDocumentation();

var app = builder.Build();
app.UseGdmLevelExplorer();
app.UseGdmHttp();
app.UseGdmApiKeys();
app.UseGdmApiDocumentation();
app.MapGdmEndpoints();
app.MapMetrics();
app.Run();

/// <summary>The entry point, public for WebApplicationFactory in the tests.</summary>
public partial class Program;
