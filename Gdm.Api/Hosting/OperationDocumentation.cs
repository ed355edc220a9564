using System.Text.Json.Nodes;
using Gdm.Api.Endpoints;
using Gdm.Api.Endpoints.Operations;
using Gdm.Api.Inference;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Gdm.Api.Hosting;

/// <summary>
/// Documents each operation (and each endpoint with RequestExampleMetadata) from its own description: the JSON body's example (which works as it stands), and for an
/// operation that takes images its multipart/form-data twin (a `request` part holding the JSON request, prefilled
/// with an example that names the first file, and `images`, the files); the twin endpoints themselves are left out
/// (same path and method). POST /v1/jobs gets its body schema and examples from the operation catalog:
/// `{ "&lt;operation&gt;": request }` for every operation there is.
/// </summary>
public sealed class OperationDocumentation(ModelCatalog models, OperationCatalog operations) : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        var examples = new RequestExamples(models);
        if (operation.RequestBody?.Content is not { } content)
            return;
        if (metadata.OfType<RequestExampleMetadata>().FirstOrDefault() is { } described)
        {
            Describe(content, described.Json(examples), described.Upload?.Invoke(examples), described.RequestName);
            return;
        }

        if (metadata.OfType<JobRequestMetadata>().Any())
        {
            var schema = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Exactly one member: the operation's name, holding its request.",
                MinProperties = 1,
                MaxProperties = 1,
                AdditionalPropertiesAllowed = false,
                Properties = operations.Operations.ToDictionary(
                    o => o.Name, o => context.SchemaGenerator.GenerateSchema(o.RequestType, context.SchemaRepository)),
            };
            content["application/json"] = new OpenApiMediaType { Schema = schema };
            var upload = operations.Operations.FirstOrDefault(o => o.TakesImages);
            Describe(content, new JsonObject { ["samples"] = examples.Samples() },
                upload?.UploadExample(examples) is { } form ? new JsonObject { [upload.Name] = form } : null, "job");
        }
    }

    private static void Describe(IDictionary<string, IOpenApiMediaType> content, JsonObject example, JsonObject? uploadExample, string requestName)
    {
        if (content.TryGetValue("application/json", out var json) && json is OpenApiMediaType body)
            body.Example = example;
        if (uploadExample is null)
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
                    Description = $"The JSON request ({requestName}, as in the application/json body); its image fields name " +
                                  "uploaded files by index: { \"file\": 0 } is the first file of `images`.",
                    Examples = [uploadExample],
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
