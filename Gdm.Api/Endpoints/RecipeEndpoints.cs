using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Images;
using Gdm.Core.Latents;

namespace Gdm.Api.Endpoints;

/// <summary>
/// POST /v1/recipes/read: the recipe a PNG carries in its `gdm-recipe` tEXt chunk, read from the file's chunk structure
/// (PngPreflight) without decoding a pixel and checked as strictly as a request, so what comes back is accepted by
/// /v1/samples as it stands. The models need not be loaded: the recipe is read, not run.
/// </summary>
public static class RecipeEndpoints
{
    private const string Field = "image";

    public static RouteGroupBuilder MapRecipeEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapPost("/recipes/read", async (HttpContext http, [AsParameters] ImageServices services) =>
            {
                var errors = new RequestErrors();
                var request = WireJson.Read<RecipeReadRequest>(await RequestBody.ReadTextAsync(http), errors);
                return request is null ? Problems.Invalid(errors) : await ReadAsync(request, services.Uploads.For([]), http.RequestAborted);
            })
            .WithName("ReadRecipe")
            .WithSummary("Read the recipe out of a PNG made by this service")
            .WithDescription("Every PNG the service makes carries its recipe in the tEXt chunk `gdm-recipe`. This answers that recipe as " +
                             "`{ \"recipe\": ... }`, exactly the JSON /v1/samples accepts (and every operation as a source's `recipe`), " +
                             "so a downloaded image can be made again or edited. A PNG without a recipe, a recipe that does not read, or " +
                             "a file that is not a PNG is a 400 naming what is wrong. Also as multipart/form-data with the file in `images`.")
            .WithTags("Recipes")
            .WithMetadata(new RequestExampleMetadata(nameof(RecipeReadRequest), e => e.RecipeRead(upload: false), e => e.RecipeRead(upload: true)))
            .Accepts<RecipeReadRequest>("application/json")
            .Produces<RecipeReadResponse>()
            .ProducesValidationProblem()
            .AcceptsImageUploads(typeof(RecipeReadRequest));
        v1.MapUploadForm("ReadRecipeUpload", "/recipes/read", typeof(RecipeReadRequest), async (form, files, http, services) =>
        {
            var errors = new RequestErrors();
            var request = WireJson.Read<RecipeReadRequest>(form, errors, UploadForms.RequestPart);
            return request is null ? Problems.Invalid(errors) : await ReadAsync(request, services.Uploads.For(files), http.RequestAborted);
        });
        return v1;
    }

    private static async Task<IResult> ReadAsync(RecipeReadRequest request, RequestImages images, CancellationToken cancellationToken)
    {
        try
        {
            if (request.Image is null)
                throw new UploadRejectedException(Field, "give the PNG: { \"base64\": ... } in JSON, or { \"file\": 0 } with the file in a multipart/form-data request");
            var header = await images.InspectAsync(request.Image, Field, cancellationToken);
            images.EnsureEveryFileUsed();
            return TypedResults.Ok(new RecipeReadResponse(Recipe(header)));
        }
        catch (UploadRejectedException rejected)
        {
            return Problems.Upload(rejected);
        }
    }

    private static RecipeDocument Recipe(UploadHeader header)
    {
        if (header.Format != "PNG")
            throw new UploadRejectedException(Field, $"the image is a {header.Format}: a recipe travels only in a PNG made by this service (its tEXt chunk {PngWriter.RecipeKeyword})");
        if (!header.Texts.TryGetValue(PngWriter.RecipeKeyword, out var text))
            throw new UploadRejectedException(Field, $"the PNG carries no recipe: it has no tEXt chunk {PngWriter.RecipeKeyword} (every PNG this service makes has one)");
        var errors = new RequestErrors();
        return WireJson.Read<RecipeDocument>(text, errors, PngWriter.RecipeKeyword)
               ?? throw new UploadRejectedException(Field, $"the PNG's {PngWriter.RecipeKeyword} chunk is not a recipe: {errors.Summary()}");
    }
}
