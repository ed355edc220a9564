using Microsoft.OpenApi;

namespace Gdm.Api.Hosting;

/// <summary>Swagger: the OpenAPI document at /swagger/v1/swagger.json and the UI at /swagger, from handler metadata and XML comments.</summary>
public static class ApiDocumentation
{
    public static IServiceCollection AddGdmApiDocumentation(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "GDM image service",
                Version = "v1",
                Description = "Groupwise diffusion: sample images level by level, redraw chosen levels of an image, encode, mix and traverse " +
                              "images in their latent levels (uploads too), follow long requests as jobs. " +
                              "Every image comes with a recipe that makes it again bit for bit.",
            });
            // A member the contract declares non-nullable is never null on the wire, so a generated client need not check.
            options.SupportNonNullableReferenceTypes();
            options.OperationFilter<OperationDocumentation>();
            options.DocumentFilter<JobViewSchemas>();
            options.DocumentFilter<TagDescriptions>();
            // Relative: the service answers wherever it is reached (a port, a proxy path), and Swagger UI calls it there.
            options.AddServer(new OpenApiServer { Url = "/", Description = "this service" });
            options.AddSecurityDefinition(SecurityDocumentation.Scheme, SecurityDocumentation.Definition);
            options.OperationFilter<SecurityDocumentation>();
            options.DocumentFilter<SecurityDocumentation>();
            var xml = Path.Combine(AppContext.BaseDirectory, "Gdm.Api.xml");
            if (File.Exists(xml))
                options.IncludeXmlComments(xml);
        });
        return services;
    }

    public static WebApplication UseGdmApiDocumentation(this WebApplication app)
    {
        app.UseSwagger();
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint("/swagger/v1/swagger.json", "GDM v1");
            options.DocumentTitle = "GDM image service";
            // The key typed into Authorize survives a reload of the page.
            options.EnablePersistAuthorization();
        });
        return app;
    }
}
