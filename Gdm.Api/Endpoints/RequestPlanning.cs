using Gdm.Api.Images;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gdm.Api.Endpoints;

/// <summary>A checked request's plan, or the problem to answer instead.</summary>
public readonly record struct Planned<TPlan>(TPlan? Plan, ProblemHttpResult? Problem)
    where TPlan : class;

/// <summary>
/// Checks a request that may carry images: field errors give 400 naming the fields; a rejected image gives its 400 or
/// 413 naming its field; an uploaded file that no field names is a 400 too. Bad uploads end here, before any engine
/// work, so they cost the service nothing but their own decoding.
/// </summary>
public static class RequestPlanning
{
    /// <param name="plan">Builds the plan, or returns null after adding errors.</param>
    /// <param name="images">The request's images, read while planning; every uploaded file must have been named.</param>
    /// <param name="services">The catalog and limits the plan is checked against.</param>
    /// <param name="cancellationToken">The request's token.</param>
    /// <param name="root">Where the request sits in the body ("" for an endpoint's own body, "encode" inside a job).</param>
    public static async Task<Planned<TPlan>> PlanAsync<TPlan>(
        Func<PlanningContext, Task<TPlan?>> plan, RequestImages images, ImageServices services, CancellationToken cancellationToken, string root = "")
        where TPlan : class
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(services);
        var errors = new RequestErrors(root);
        try
        {
            var planned = await plan(new PlanningContext(images, services.Catalog, services.Limits.Value, errors, cancellationToken));
            if (planned is null)
                return new Planned<TPlan>(null, Problems.InvalidAsProblem(errors));
            images.EnsureEveryFileUsed();
            return new Planned<TPlan>(planned, null);
        }
        catch (UploadRejectedException rejected)
        {
            return new Planned<TPlan>(null, Problems.Upload(rejected, root));
        }
    }
}
