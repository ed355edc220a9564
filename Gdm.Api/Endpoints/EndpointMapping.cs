namespace Gdm.Api.Endpoints;

public static class EndpointMapping
{
    /// <summary>Every endpoint of the service: /v1 (models, images, jobs) and /health.</summary>
    public static IEndpointRouteBuilder MapGdmEndpoints(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1");
        v1.MapModelEndpoints();
        v1.MapImageEndpoints();
        v1.MapJobEndpoints();
        app.MapHealthEndpoints();
        return app;
    }
}
