using Gdm.Api.Endpoints;
using Gdm.Api.Inference;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Gdm.Api.Hosting;

/// <summary>
/// Documents the multipart/form-data twin of every endpoint that takes images on its JSON operation, so Swagger UI
/// offers both: a `request` part holding the JSON request (prefilled with an example that names the first file) and
/// `images`, the PNG or JPEG files. The twin endpoints themselves are left out of the description (same path and method).
/// </summary>
public sealed class UploadFormDocumentation(ModelCatalog catalog) : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<ImageUploadsMetadata>().FirstOrDefault();
        if (metadata is null || operation.RequestBody?.Content is not { } content)
            return;

        var form = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { UploadForms.RequestPart },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                [UploadForms.RequestPart] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = $"The JSON request ({metadata.RequestType.Name}, as in the application/json body); its image fields name " +
                                  "uploaded files by index: { \"file\": 0 } is the first file of `images`.",
                    Examples = new RequestExamples(catalog).UploadForm(metadata.RequestType) is { } example ? [example] : null,
                },
                [RequestImages.FilesPart] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Array,
                    Items = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
                    Description = "PNG or JPEG files, counted from 0 in the order sent; every file must be named by some image field.",
                },
            },
        };
        content["multipart/form-data"] = new OpenApiMediaType
        {
            Schema = form,
            Encoding = new Dictionary<string, OpenApiEncoding> { [UploadForms.RequestPart] = new() { ContentType = "application/json" } },
        };
    }
}
