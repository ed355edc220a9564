using System.Text.Json.Nodes;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Endpoints.Operations;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Gdm.Api.Hosting;

/// <summary>
/// Types a job's `result` in the API description: JobView becomes one schema per operation (`SamplesJobView`,
/// `EncodeJobView`, ...), each with `kind` fixed to the operation's name and `result` its answer's schema, joined as
/// oneOf with `kind` as the discriminator, so a generated client narrows `result` by checking `kind`.
/// </summary>
public sealed class JobViewSchemas(OperationCatalog operations) : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(context);
        var schemas = document.Components?.Schemas;
        if (schemas is null || !schemas.TryGetValue(nameof(JobView), out var found) || found is not OpenApiSchema view || view.Properties is null)
            return;

        var variants = new List<IOpenApiSchema>();
        var mapping = new Dictionary<string, OpenApiSchemaReference>();
        foreach (var operation in operations.Operations)
        {
            var name = char.ToUpperInvariant(operation.Name[0]) + operation.Name[1..] + nameof(JobView);
            var properties = new Dictionary<string, IOpenApiSchema>(view.Properties)
            {
                ["kind"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create(operation.Name)!] },
                ["result"] = context.SchemaGenerator.GenerateSchema(operation.ResultType, context.SchemaRepository),
            };
            schemas[name] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = $"A job of POST /v1/{operation.Name}: once it succeeded, `result` is what that endpoint answers.",
                Properties = properties,
                Required = new HashSet<string>(view.Required ?? new HashSet<string>()) { "id", "kind", "status" },
                AdditionalPropertiesAllowed = false,
            };
            var reference = new OpenApiSchemaReference(name, document);
            variants.Add(reference);
            mapping[operation.Name] = reference;
        }

        // JobView's own `result` was a JsonNode, which nothing else answers or takes.
        schemas.Remove("JsonNode");
        schemas.Remove("JsonNodeOptions");
        schemas[nameof(JobView)] = new OpenApiSchema
        {
            Description = view.Description,
            OneOf = variants,
            Discriminator = new OpenApiDiscriminator { PropertyName = "kind", Mapping = mapping },
        };
    }
}
