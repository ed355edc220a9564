using System.Text.Json.Nodes;
using Gdm.Api.Hosting;

namespace Gdm.Api.Endpoints;

/// <summary>
/// An endpoint's Swagger examples: the JSON body's, and for an endpoint that takes images the `request` part of its
/// multipart form (naming the first uploaded file); both are built once the default model is known. RequestName is the
/// request's schema name, for the form's description.
/// </summary>
public sealed record RequestExampleMetadata(string RequestName, Func<RequestExamples, JsonObject> Json, Func<RequestExamples, JsonObject?>? Upload);
