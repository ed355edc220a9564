using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Gdm.Api.Hosting;

/// <summary>
/// What each tag of the API description groups, so that Swagger UI and generated clients can say it; a tag an endpoint
/// uses without a description here fails the document check (tools/openapi/check.sh, Redocly's tag-description rule).
/// </summary>
public sealed class TagDescriptions : IDocumentFilter
{
    private static readonly Dictionary<string, string> Descriptions = new(StringComparer.Ordinal)
    {
        ["Images"] = "New images: samples from seeds (or a recipe as it stands) and variations that redraw chosen levels of an image.",
        ["Editing"] = "Work on an image's latent levels: encode an upload, mix levels of several images, traverse a coordinate, " +
                      "interpolate from a level on, and draw what each level alone contributes.",
        ["Recipes"] = "The recipe every image carries: read it back out of a PNG.",
        ["Jobs"] = "Any operation as a job: start it, follow its progress over server-sent events, collect its result, cancel it, list recent jobs.",
        ["Models"] = "The loaded models: shape, transform, grouping and the levels (groups) of each.",
        ["Health"] = "Liveness and readiness probes.",
    };

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Tags = (document.Tags ?? new HashSet<OpenApiTag>())
            .Select(t => t.Name is { } name && Descriptions.TryGetValue(name, out var description) ? new OpenApiTag { Name = name, Description = description } : t)
            .ToHashSet<OpenApiTag>();
    }
}
