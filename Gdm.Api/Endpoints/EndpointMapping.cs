namespace Gdm.Api.Endpoints;

public static class EndpointMapping
{
    /// <summary>Every endpoint of the service: /v1 (models, images, editing, jobs) and /health.</summary>
    public static IEndpointRouteBuilder MapGdmEndpoints(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1");
        v1.MapModelEndpoints();
        v1.MapImageEndpoints();
        v1.MapEditingEndpoints();
        v1.MapJobEndpoints();
        v1.MapLevelEndpoints();
        app.MapHealthEndpoints();
        return app;
    }
}
