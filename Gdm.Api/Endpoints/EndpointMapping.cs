using Gdm.Api.Endpoints.Operations;

namespace Gdm.Api.Endpoints;

public static class EndpointMapping
{
    /// <summary>Every endpoint of the service: /v1 (models, the operations, recipes, jobs) and /health.</summary>
    public static IEndpointRouteBuilder MapGdmEndpoints(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1");
        v1.MapModelEndpoints();
        v1.MapOperation(new Samples());
        v1.MapOperation(new Variations());
        v1.MapOperation(new Encode());
        v1.MapOperation(new Mix());
        v1.MapOperation(new Traverse());
        v1.MapOperation(new Interpolate());
        v1.MapOperation(new Levels());
        v1.MapRecipeEndpoints();
        v1.MapJobEndpoints();
        app.MapHealthEndpoints();
        // The level explorer (wwwroot/index.html) once it exists; until then the API description.
        app.MapGet("/", (IWebHostEnvironment environment) => environment.WebRootFileProvider.GetFileInfo("index.html") is { Exists: true, PhysicalPath: { } page }
                ? Results.File(page, "text/html")
                : Results.Redirect("/swagger"))
            .ExcludeFromDescription();
        return app;
    }
}
