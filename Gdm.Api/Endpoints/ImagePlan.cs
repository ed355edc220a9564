using System.Security.Cryptography;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Engine;
using Gdm.Api.Images;
using Gdm.Api.Inference;
using Gdm.Api.Options;
using Gdm.Core.Latents;
using Gdm.Core.Sampling;

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
        ArgumentNullException.ThrowIfNull(model);
        var rules = RecipeMapping.Rules(model, limits);
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
        CheckSeed(request.Seed, count, errors);
        if (errors.Any)
            return null;

        if (fromRecipe)
        {
            var document = new RecipeDocument
            {
                Model = request.Model, Noise = request.Noise, Latent = request.Latent, StepsPerGroup = request.StepsPerGroup, Sampler = request.Sampler, Prefix = request.Prefix,
            };
            return rules.Check(document, "", errors) is { } recipe ? new ImagePlan(model, [recipe], null, request.Format ?? OutputFormat.Png) : null;
        }

        var steps = rules.CheckSteps(request.StepsPerGroup, "stepsPerGroup", errors);
        if (steps is null)
            return null;
        var seed = request.Seed ?? DrawSeed();
        var groups = model.Process.Grouping.Count;
        var recipes = Enumerable.Range(0, count)
            .Select(i => new ImageRecipe(model.Name, new RecipeLatent.Seeded(LatentRecipe.FromSeed(seed + (ulong)i, groups)), steps, request.Sampler ?? SamplerKind.Euler))
            .ToArray();
        return new ImagePlan(model, recipes, seed, request.Format ?? OutputFormat.Png);
    }

    public static ImagePlan? ForVariations(VariationsRequest request, LoadedModel model, RequestLimitOptions limits, RequestErrors errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(model);
        var groups = model.Process.Grouping.Count;
        var count = request.Count ?? 1;
        if (count < 1 || count > limits.MaxImagesPerRequest)
            errors.Add("count", $"must be between 1 and {limits.MaxImagesPerRequest}, got {count}");
        var strength = request.Strength ?? 1.0;
        if (!(strength >= 0 && strength <= 1))
            errors.Add("strength", $"must be between 0 and 1, got {strength}");
        CheckSeed(request.Seed, count, errors);
        var redrawn = RedrawnGroups(request, groups, errors);
        if (request.Source?.Recipe is null)
            errors.Add("source", "a variation needs its source image: { \"recipe\": ... } or { \"image\": ... }");
        if (errors.Any)
            return null;

        var source = RecipeMapping.ToRecipe("source.recipe", request.Source!.Recipe!, model, limits, errors);
        if (source is null)
            return null;
        var steps = request.StepsPerGroup is null ? source.StepsPerGroup : RecipeMapping.ToSteps("stepsPerGroup", request.StepsPerGroup, model, limits, errors);
        if (redrawn is null)
            return null;
        var first = redrawn.Min();
        if (first > 0 && model.Process.Schedule.Overlap > 0)
            errors.Add(request.Groups is null ? "fromGroup" : "groups", $"model {model.Name} has overlapping intervals: its kept groups are not finished at a boundary, so there is no prefix start");
        if (first > 0 && source.Depth + 1 > limits.MaxPrefixDepth)
            errors.Add("source.recipe.prefix", $"the source already nests {source.Depth} prefix starts; the limit is {limits.MaxPrefixDepth}");
        if (errors.Any || steps is null)
            return null;

        var seed = request.Seed ?? DrawSeed();
        var sampler = request.Sampler ?? source.Sampler;
        var recipes = new ImageRecipe[count];
        for (var i = 0; i < count; i++)
        {
            var variationSeed = seed + (ulong)i;
            RecipeLatent latent = source.Latent switch
            {
                RecipeLatent.Seeded seeded => new RecipeLatent.Seeded(seeded.Noise.Redraw(redrawn, variationSeed, strength)),
                RecipeLatent.Explicit values => new RecipeLatent.Explicit(LatentEdits.Redraw(values.Values.ToArray(), model.Process.Grouping, redrawn, variationSeed, strength)),
                _ => throw new InvalidOperationException($"unknown latent {source.Latent}"),
            };
            recipes[i] = new ImageRecipe(model.Name, latent, steps, sampler, first == 0 ? null : new PrefixStart.OfRecipe(first, source));
        }

        return new ImagePlan(model, recipes, seed, request.Format ?? OutputFormat.Png);
    }

    /// <summary>A given base seed must leave seed + count - 1 within [0, 2^53 - 1].</summary>
    internal static void CheckSeed(ulong? seed, int count, RequestErrors errors)
    {
        if (seed is { } given && RecipeRules.CheckSeed(given, "seed", errors) && given + (ulong)Math.Max(0, count - 1) > RecipeJson.MaxSeedValue)
            errors.Add("seed", $"seed + count - 1 must stay at most {RecipeJson.MaxSeedValue} (2^53 - 1)");
    }

    public async Task<ImagesResponse> RunAsync(ImageGenerator generator, ProgressTracker? tracker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(generator);
        tracker?.Announce(generator.PlannedEvaluations(Model, Recipes));
        return ToResponse(await generator.GenerateAsync(Model, Recipes, tracker, cancellationToken));
    }

    public ImagesResponse ToResponse(IReadOnlyList<GeneratedImage> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        return new ImagesResponse(Model.Name, Seed, images.Select((image, i) => ToResult(i, image)).ToArray(), Uploads);
    }

    /// <summary>The PNG of one finished image, recipe in its tEXt chunk.</summary>
    public byte[] EncodePng(GeneratedImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var range = Model.Manifest.ValueRange;
        return PngWriter.Encode(PixelQuantizer.ToBytes(ToPixels(image.Coefficients), range[0], range[1]), Model.Shape, RecipeJson.Serialize(image.Recipe));
    }

    /// <summary>The image in the plan's format, without its recipe.</summary>
    public ImageData ToData(GeneratedImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var range = Model.Manifest.ValueRange;
        return Format switch
        {
            OutputFormat.Png => new ImageData(Convert.ToBase64String(EncodePng(image)), null, null),
            OutputFormat.Coefficients => new ImageData(null, RecipeJson.EncodeFloats(image.Coefficients), null),
            // Clamped to the value range, as documented (and as the PNG is).
            OutputFormat.Pixels => new ImageData(null, null, RecipeJson.EncodeFloats(ToPixels(image.Coefficients).Select(p => (float)Math.Clamp(p, range[0], range[1])).ToArray())),
            _ => throw new InvalidOperationException($"unknown format {Format}"),
        };
    }

    private ImageResult ToResult(int index, GeneratedImage image)
    {
        var data = ToData(image);
        return new ImageResult(index, RecipeJson.ToDocument(image.Recipe), data.Png, data.Coefficients, data.Pixels);
    }

    /// <summary>Pixels (C x H x W) of coefficients, unclamped.</summary>
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
