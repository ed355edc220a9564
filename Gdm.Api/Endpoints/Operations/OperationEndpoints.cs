using Gdm.Api.Engine;
using Gdm.Api.Images;

namespace Gdm.Api.Endpoints.Operations;

/// <summary>
/// The one mapping of an operation: POST /v1/{name} with a JSON body, its multipart/form-data twin when it takes
/// images, and its job kind in the OperationCatalog. Every call takes the same path: 503 while the models load, the
/// body read strictly (400 naming the member), the plan checked once (400 naming the field, 400/413 for an image)
/// before any engine work, 406 for image/png when the answer is not one image, then the run for the waiting client
/// with the request deadline: 429 for a full queue and 503 past the deadline (both with Retry-After), 499 for a
/// client that left.
/// </summary>
public static class OperationEndpoints
{
    public static RouteGroupBuilder MapOperation<TRequest, TPlan, TResult>(this RouteGroupBuilder v1, Operation<TRequest, TPlan, TResult> operation)
        where TRequest : class
        where TPlan : class
        where TResult : class
    {
        ArgumentNullException.ThrowIfNull(v1);
        ArgumentNullException.ThrowIfNull(operation);
        var catalog = ((IEndpointRouteBuilder)v1).ServiceProvider.GetRequiredService<OperationCatalog>();
        catalog.Add(operation);

        var endpoint = v1.MapPost("/" + operation.Name, async (HttpContext http, [AsParameters] ImageServices services) =>
            {
                var errors = new RequestErrors();
                var request = WireJson.Read<TRequest>(await RequestBody.ReadTextAsync(http), errors);
                return request is null ? Problems.Invalid(errors) : await CallAsync(operation, request, services.Uploads.For([]), http, services);
            })
            .WithName(PascalCase(operation.Name))
            .WithSummary(operation.Summary)
            .WithDescription(operation.Description)
            .WithTags(operation.Tag)
            .WithMetadata(new RequestExampleMetadata(operation.RequestType.Name, operation.Example, operation.TakesImages ? operation.UploadExample : null))
            .Accepts<TRequest>("application/json")
            .Produces<TResult>(StatusCodes.Status200OK, "application/json", "image/png")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status406NotAcceptable)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(499)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        if (!operation.TakesImages)
            return v1;

        endpoint.AcceptsImageUploads(typeof(TRequest));
        v1.MapUploadForm(PascalCase(operation.Name) + "Upload", "/" + operation.Name, typeof(TRequest), async (form, files, http, services) =>
        {
            var errors = new RequestErrors();
            var request = WireJson.Read<TRequest>(form, errors, UploadForms.RequestPart);
            return request is null ? Problems.Invalid(errors) : await CallAsync(operation, request, services.Uploads.For(files), http, services);
        });
        return v1;
    }

    private static async Task<IResult> CallAsync<TRequest, TPlan, TResult>(
        Operation<TRequest, TPlan, TResult> operation, TRequest request, RequestImages images, HttpContext http, ImageServices services)
        where TRequest : class
        where TPlan : class
        where TResult : class
    {
        var engine = services.Engine.Value;
        if (!services.Catalog.IsReady)
            return Problems.NotReady(http, engine, services.Catalog.Status);
        var (wantsPng, jsonAcceptable) = Negotiate(http.Request);
        var errors = new RequestErrors();
        TPlan? plan;
        try
        {
            plan = await operation.PlanAsync(request, new PlanningContext(images, services.Catalog, services.Limits.Value, errors, wantsPng, http.RequestAborted));
            if (plan is null)
                return Problems.Invalid(errors);
            images.EnsureEveryFileUsed();
        }
        catch (UploadRejectedException rejected)
        {
            return Problems.Upload(rejected);
        }

        if (wantsPng && !operation.MakesOneImage(plan))
        {
            if (!jsonAcceptable)
                return Problems.NotAcceptable("image/png holds one image but this request makes several: ask for one image or accept application/json");
            wantsPng = false; // several images: the JSON the client also accepts
        }

        using var deadline = new CancellationTokenSource(engine.RequestDeadline);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, deadline.Token);
        try
        {
            var result = await operation.RunAsync(plan, new OperationRun(services.Generator, null, linked.Token));
            return wantsPng ? TypedResults.File(operation.Png(result), "image/png") : TypedResults.Ok(result);
        }
        catch (EngineBusyException e)
        {
            return Problems.QueueFull(http, e.RetryAfter, e.Message);
        }
        catch (WorkTooLargeException e)
        {
            return Problems.TooMuchWork(e.Message);
        }
        catch (ServiceStoppingException e)
        {
            return Problems.Stopping(http, engine, e.Message);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return Problems.DeadlineExceeded(http, engine);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return Problems.ClientClosed();
        }
    }

    /// <summary>
    /// The Accept header's say: a PNG when image/png is acceptable (q above 0) and preferred at least as much as JSON
    /// (application/json, application/* or */*), and whether JSON is acceptable at all. No Accept header means JSON.
    /// </summary>
    public static (bool WantsPng, bool JsonAcceptable) Negotiate(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var accepted = request.GetTypedHeaders().Accept;
        if (accepted.Count == 0)
            return (false, true);
        double Quality(Func<string, bool> matches) => accepted
            .Where(a => a.MediaType.Value is { } type && matches(type))
            .Select(a => a.Quality ?? 1.0)
            .DefaultIfEmpty(0)
            .Max();
        var png = Quality(type => type.Equals("image/png", StringComparison.OrdinalIgnoreCase));
        var json = Quality(type => type is "*/*" || type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                                   || type.Equals("application/*", StringComparison.OrdinalIgnoreCase));
        return (png > 0 && png >= json, json > 0);
    }

    private static string PascalCase(string name) => char.ToUpperInvariant(name[0]) + name[1..];
}
