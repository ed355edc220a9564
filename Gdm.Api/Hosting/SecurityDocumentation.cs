using Gdm.Api.Options;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Gdm.Api.Hosting;

/// <summary>
/// What the running service asks for. With ApiKeys:Required the bearer scheme (an API key in `Authorization: Bearer
/// &lt;key&gt;`, which gives Swagger UI its Authorize button), and per operation the scheme and a 401 where a key is
/// needed; an explicit empty requirement (no credentials) where none is, which is every operation while keys are off
/// (then no scheme is documented: nothing would use it).
/// </summary>
public sealed class SecurityDocumentation(IOptions<ApiKeyOptions> keys) : IOperationFilter, IDocumentFilter
{
    public const string Scheme = "bearer";

    public static OpenApiSecurityScheme Definition { get; } = new()
    {
        Type = SecuritySchemeType.Http,
        Scheme = "bearer",
        Description = "An API key of this service, sent as `Authorization: Bearer <key>`. Needed while ApiKeys:Required is on; " +
                      "a job is then visible and cancellable only with the key that created it.",
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        if (!keys.Value.NeedsKey("/" + context.ApiDescription.RelativePath))
        {
            operation.Security = [new OpenApiSecurityRequirement()];
            return;
        }

        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, context.Document)] = [] }];
        operation.Responses ??= [];
        operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No API key, or one this service does not know (WWW-Authenticate says how)" });
    }

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (!keys.Value.Required)
            document.Components?.SecuritySchemes?.Remove(Scheme);
    }
}
