using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Gdm.Api.Hosting;

/// <summary>
/// Says in the API description that calling it needs no credentials, as one empty security requirement at the root,
/// while no security scheme is documented; once one is (an API key), the description names it instead.
/// </summary>
public sealed class OpenAccessDocumentation : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.Security is { Count: > 0 } || document.Components?.SecuritySchemes is { Count: > 0 })
            return;
        document.Security = [new OpenApiSecurityRequirement()];
    }
}
