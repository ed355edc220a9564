using System.Security.Cryptography;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Engine;
using Gdm.Api.Images;
using Gdm.Api.Inference;
using Gdm.Api.Options;
using Gdm.Core.Latents;

namespace Gdm.Api.Endpoints;

/// <summary>
/// A checked request: the recipes of the images to make, of one model, and how to return them. Built from a samples or
/// a variations request (every error names its field), run the same way synchronously or as a job. Uploads says what
/// was done to the uploaded images the recipes came from.
/// </summary>
public sealed record ImagePlan(
    LoadedModel Model,
    IReadOnlyList<ImageRecipe> Recipes,
    ulong? Seed,
    OutputFormat Format,
    IReadOnlyList<UploadReport>? Uploads = null)
{
    public static ImagePlan? ForSamples(SamplesRequest request, LoadedModel model, RequestLimitOptions limits, RequestErrors errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        var fromRecipe = request.Noise is not null || request.Latent is not null;
        var count = request.Count ?? 1;
        if (count < 1 || count > limits.MaxImagesPerRequest)
            errors.Add("count", $"must be between 1 and {limits.MaxImagesPerRequest}, got {count}");
        if (fromRecipe && count != 1)
            errors.Add("count", "a request with a recipe's noise or latent makes exactly one image");
        if (fromRecipe && request.Seed is not null)
            errors.Add("seed", "give either seed or a recipe's noise or latent, not both");
        if (!fromRecipe && request.Prefix is not null)
            errors.Add("prefix", "a prefix start needs the recipe's noise or latent");
        if (errors.Any)
            return null;

        var seed = fromRecipe ? (ulong?)null : request.Seed ?? DrawSeed();
        var recipes = new List<ImageRecipe>(count);
        for (var i = 0; i < count; i++)
        {
            var recipe = RecipeMapping.ToRecipe(
                "", model, request.Noise, request.Latent, request.StepsPerGroup, request.Sampler, request.Prefix,
                seed is { } s ? unchecked(s + (ulong)i) : null, limits, errors);
            if (recipe is null)
                return null;
            recipes.Add(recipe);
        }

        return new ImagePlan(model, recipes, seed, request.Format ?? OutputFormat.Png);
    }

    public static ImagePlan? ForVariations(VariationsRequest request, LoadedModel model, RequestLimitOptions limits, RequestErrors errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        var groups = model.Process.Grouping.Count;
        var count = request.Count ?? 1;
        if (count < 1 || count > limits.MaxImagesPerRequest)
            errors.Add("count", $"must be between 1 and {limits.MaxImagesPerRequest}, got {count}");
        var strength = request.Strength ?? 1.0;
        if (!(strength >= 0 && strength <= 1))
            errors.Add("strength", $"must be between 0 and 1, got {strength}");
        var redrawn = RedrawnGroups(request, groups, errors);
        if (request.Source is null)
            errors.Add("source", "a variation needs its source image: a recipe (source) or an upload (image)");
        if (errors.Any)
            return null;

        var source = RecipeMapping.ToRecipe("source", request.Source!, model, limits, errors);
        if (source is null)
            return null;
        var steps = request.StepsPerGroup is null ? source.StepsPerGroup : RecipeMapping.ToSteps("stepsPerGroup", request.StepsPerGroup, model, limits, errors);
        if (redrawn is null)
            return null;
        var first = redrawn.Min();
        if (first > 0 && model.Process.Schedule.Overlap > 0)
            errors.Add(request.Groups is null ? "fromGroup" : "groups", $"model {model.Name} has overlapping intervals: its kept groups are not finished at a boundary, so there is no prefix start");
        if (first > 0 && source.Depth + 1 > limits.MaxPrefixDepth)
            errors.Add("source.prefix", $"the source already nests {source.Depth} prefix starts; the limit is {limits.MaxPrefixDepth}");
        if (errors.Any || steps is null)
            return null;

        var seed = request.Seed ?? DrawSeed();
        var sampler = request.Sampler is { } name ? RecipeMapping.ToKind(name) : source.Sampler;
        var recipes = new ImageRecipe[count];
        for (var i = 0; i < count; i++)
        {
            var variationSeed = unchecked(seed + (ulong)i);
            recipes[i] = new ImageRecipe(
                model.Name,
                source.Noise?.Redraw(redrawn, variationSeed, strength),
                source.Latent is null ? null : LatentEdits.Redraw(source.Latent.ToArray(), model.Process.Grouping, redrawn, variationSeed, strength),
                steps,
                sampler,
                first == 0 ? null : PrefixStart.FromSource(first, source));
        }

        return new ImagePlan(model, recipes, seed, request.Format ?? OutputFormat.Png);
    }

    public async Task<ImagesResponse> RunAsync(ImageGenerator generator, ProgressTracker? tracker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return ToResponse(await generator.GenerateAsync(Model, Recipes, tracker, cancellationToken));
    }

    public ImagesResponse ToResponse(IReadOnlyList<GeneratedImage> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        return new ImagesResponse(Model.Name, Seed, images.Select((image, i) => ToResult(i, image)).ToArray(), Uploads);
    }

    /// <summary>The PNG of one finished image, recipe in its tEXt chunk.</summary>
    public byte[] EncodePng(GeneratedImage image, Recipe recipe)
    {
        ArgumentNullException.ThrowIfNull(image);
        var pixels = ToPixels(image.Coefficients);
        var range = Model.Manifest.ValueRange;
        return PngWriter.Encode(PixelQuantizer.ToBytes(pixels, range[0], range[1]), Model.Shape, RecipeMapping.ToJson(recipe));
    }

    private ImageResult ToResult(int index, GeneratedImage image)
    {
        var recipe = RecipeMapping.ToContract(image.Recipe);
        return Format switch
        {
            OutputFormat.Png => new ImageResult(index, recipe, Convert.ToBase64String(EncodePng(image, recipe)), null, null),
            OutputFormat.Coefficients => new ImageResult(index, recipe, null, RecipeMapping.EncodeFloats(image.Coefficients), null),
            OutputFormat.Pixels => new ImageResult(index, recipe, null, null, RecipeMapping.EncodeFloats(ToPixels(image.Coefficients))),
            _ => throw new InvalidOperationException($"unknown format {Format}"),
        };
    }

    internal float[] ToPixels(float[] coefficients)
    {
        var pixels = new float[coefficients.Length];
        Model.Process.Transform.Inverse(coefficients, pixels);
        return pixels;
    }

    private static int[]? RedrawnGroups(VariationsRequest request, int groups, RequestErrors errors)
    {
        if ((request.Groups is null) == (request.FromGroup is null))
        {
            errors.Add("groups", "give either groups (a list) or fromGroup, exactly one of them");
            return null;
        }

        if (request.FromGroup is { } from)
        {
            if (from < 0 || from >= groups)
            {
                errors.Add("fromGroup", $"must be between 0 and {groups - 1}, got {from}");
                return null;
            }

            return Enumerable.Range(from, groups - from).ToArray();
        }

        var list = request.Groups!;
        if (list.Count == 0)
        {
            errors.Add("groups", "name at least one group to redraw");
            return null;
        }

        for (var i = 0; i < list.Count; i++)
            if (list[i] < 0 || list[i] >= groups)
            {
                errors.Add($"groups[{i}]", $"must be between 0 and {groups - 1}, got {list[i]}");
                return null;
            }

        return list.Distinct().Order().ToArray();
    }

    // Seeds below 2^32 stay exact in every JSON client (JavaScript numbers included).
    internal static ulong DrawSeed() => BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(sizeof(uint)));
}
