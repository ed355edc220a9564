using Gdm.Api.Endpoints.Operations;
using Gdm.Api.Engine;
using Gdm.Api.Inference;
using Gdm.Api.Jobs;
using Gdm.Api.Options;
using Microsoft.Extensions.Options;

namespace Gdm.Api.Endpoints;

/// <summary>What the image endpoints work with, bound from the container with [AsParameters] (so a JSON handler and its multipart twin share one list).</summary>
public sealed record ImageServices(
    ModelCatalog Catalog,
    ImageGenerator Generator,
    UploadReader Uploads,
    IJobBoard Jobs,
    EngineQueue Queue,
    OperationCatalog Operations,
    IOptions<RequestLimitOptions> Limits,
    IOptions<EngineOptions> Engine);
