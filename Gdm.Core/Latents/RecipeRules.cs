using Gdm.Core.Sampling;
using Gdm.Core.Schedules;

namespace Gdm.Core.Latents;

/// <summary>
/// What a recipe must be for one model version, and the check that turns a RecipeDocument into an ImageRecipe: one
/// entry of noise per group, a latent of C*H*W values, steps within the limit (one value stands for every group), a
/// grid the model can place, a prefix only without overlap and nested no deeper than the limit. A document that names
/// neither version nor grid was made before recipes named them and stays a recipe without version (it replays as it
/// was made); one that names either gets this version and its grid. Every error names the member's JSON path.
/// </summary>
public sealed record RecipeRules(
    string Model,
    string Digest,
    int Groups,
    int LatentSize,
    IReadOnlyList<int> DefaultStepsPerGroup,
    GridSpacing DefaultGrid,
    SamplerKind DefaultSampler,
    bool HasGroupStds,
    bool HasOverlap,
    int MaxStepsPerGroup,
    int MaxPrefixDepth)
{
    /// <summary>
    /// Redraws one group's noise may carry. Each is kept in the recipe of every image made from it (and in its PNG),
    /// so without a bound a request of a few MB would make answers of hundreds of MB whose recipes no longer fit a
    /// request to replay them.
    /// </summary>
    public int MaxRedrawsPerGroup { get; init; } = 64;

    /// <summary>The recipe a document names, or null with errors added; absent steps, grid and sampler take the defaults.</summary>
    public ImageRecipe? Check(RecipeDocument document, string path, ICollection<FieldError> errors) =>
        Check(document, path, errors, 0, inherited: null, isSource: false);

    /// <summary>This version with the named grid (the default for none), or null with an error added.</summary>
    public RecipeVersion? CheckGrid(string? grid, string path, ICollection<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        GridSpacing spacing;
        try
        {
            spacing = grid is null ? DefaultGrid : GridSpacing.Parse(grid);
        }
        catch (FormatException e)
        {
            errors.Add(new FieldError(path, e.Message));
            return null;
        }

        if (spacing.NeedsGroupStds && !HasGroupStds)
        {
            errors.Add(new FieldError(path, $"is {spacing.Name}, but model '{Model}' version {Digest} has no data statistics to place a band-warp grid with: use uniform"));
            return null;
        }

        return new RecipeVersion(Digest, spacing);
    }

    // A prefix source that names no version of its own was made with its recipe's (inherited).
    private ImageRecipe? Check(RecipeDocument document, string path, ICollection<FieldError> errors, int depth, RecipeVersion? inherited, bool isSource)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(errors);
        var before = errors.Count;
        if (document.Model is { } named && named != Model)
            errors.Add(new FieldError(FieldError.Join(path, "model"), $"is '{named}', but this request uses model '{Model}'"));
        if (document.Version is { } digest && digest != Digest)
            errors.Add(new FieldError(FieldError.Join(path, "version"), $"is '{digest}', but this request uses version {Digest} of model '{Model}'"));
        var version = document.NamesVersion ? CheckGrid(document.Grid, FieldError.Join(path, "grid"), errors) : isSource ? inherited : null;

        RecipeLatent? latent = null;
        if (document.Noise is not null && document.Latent is not null)
            errors.Add(new FieldError(FieldError.Join(path, "latent"), "give either noise or latent, not both"));
        else if (document.Noise is { } noise)
            latent = CheckNoise(noise, FieldError.Join(path, "noise"), errors) is { } seeds ? new RecipeLatent.Seeded(seeds) : null;
        else if (document.Latent is { } values)
            latent = CheckValues(values, FieldError.Join(path, "latent"), errors) is { } eps ? new RecipeLatent.Explicit(eps) : null;
        else
            errors.Add(new FieldError(FieldError.Join(path, "noise"), "a recipe needs noise (one seed per group) or a latent"));

        var steps = CheckSteps(document.StepsPerGroup, FieldError.Join(path, "stepsPerGroup"), errors);
        var prefix = document.Prefix is { } start ? CheckPrefix(start, FieldError.Join(path, "prefix"), errors, depth, version) : null;
        if (errors.Count > before || latent is null || steps is null)
            return null;
        return new ImageRecipe(Model, latent, steps, document.Sampler ?? (version is null ? SamplerKind.Euler : DefaultSampler), prefix, version);
    }

    /// <summary>Steps per group: the model's defaults for none, one value for every group, or one per group.</summary>
    public IReadOnlyList<int>? CheckSteps(IReadOnlyList<int>? steps, string path, ICollection<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (steps is null)
            return DefaultStepsPerGroup.ToArray();
        if (steps.Count != 1 && steps.Count != Groups)
        {
            errors.Add(new FieldError(path, $"give one step count for every group or one per group ({Groups}), got {steps.Count}"));
            return null;
        }

        for (var i = 0; i < steps.Count; i++)
            if (steps[i] < 1 || steps[i] > MaxStepsPerGroup)
            {
                errors.Add(new FieldError($"{path}[{i}]", $"must be between 1 and {MaxStepsPerGroup}, got {steps[i]}"));
                return null;
            }

        return steps.Count == Groups ? steps.ToArray() : Enumerable.Repeat(steps[0], Groups).ToArray();
    }

    /// <summary>Base64 of C*H*W finite float32 values (a latent, a prefix's coefficients).</summary>
    public float[]? CheckValues(string base64, string path, ICollection<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var values = RecipeJson.DecodeFloats(base64, LatentSize);
        if (values is null)
        {
            errors.Add(new FieldError(path, $"must be base64 of {LatentSize} little-endian float32 values ({LatentSize * sizeof(float)} bytes)"));
            return null;
        }

        var bad = Array.FindIndex(values, v => !float.IsFinite(v));
        if (bad >= 0)
        {
            errors.Add(new FieldError(path, $"value {bad} is not a finite number"));
            return null;
        }

        return values;
    }

    /// <summary>A seed the service accepts: an integer in [0, 2^53 - 1].</summary>
    public static bool CheckSeed(ulong seed, string path, ICollection<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (seed <= RecipeJson.MaxSeedValue)
            return true;
        errors.Add(new FieldError(path, $"must be an integer between 0 and {RecipeJson.MaxSeedValue} (2^53 - 1), got {seed}"));
        return false;
    }

    private LatentRecipe? CheckNoise(IReadOnlyList<GroupNoiseDocument> noise, string path, ICollection<FieldError> errors)
    {
        if (noise.Count != Groups)
        {
            errors.Add(new FieldError(path, $"needs one entry per group ({Groups}), got {noise.Count}"));
            return null;
        }

        var groups = new GroupNoise[Groups];
        for (var g = 0; g < Groups; g++)
        {
            if (noise[g] is not { } entry)
            {
                errors.Add(new FieldError($"{path}[{g}]", "is missing: give { \"seed\": ... }"));
                return null;
            }

            if (!CheckSeed(entry.Seed, $"{path}[{g}].seed", errors))
                return null;
            var redraws = entry.Redraws ?? [];
            if (redraws.Count > MaxRedrawsPerGroup)
            {
                errors.Add(new FieldError($"{path}[{g}].redraws", $"holds {redraws.Count} redraws; at most {MaxRedrawsPerGroup} are accepted (Limits:MaxRedrawsPerGroup)"));
                return null;
            }

            for (var r = 0; r < redraws.Count; r++)
            {
                var at = $"{path}[{g}].redraws[{r}]";
                if (redraws[r] is not { } redraw)
                {
                    errors.Add(new FieldError(at, "is missing: give { \"seed\": ..., \"strength\": ... }"));
                    return null;
                }

                if (!CheckSeed(redraw.Seed, at + ".seed", errors))
                    return null;
                if (!(redraw.Strength >= 0 && redraw.Strength <= 1))
                {
                    errors.Add(new FieldError(at + ".strength", $"must be between 0 and 1, got {redraw.Strength}"));
                    return null;
                }
            }

            groups[g] = new GroupNoise(entry.Seed, redraws.Select(r => new NoiseRedraw(r.Seed, r.Strength)).ToArray());
        }

        return new LatentRecipe(groups);
    }

    private PrefixStart? CheckPrefix(PrefixDocument start, string path, ICollection<FieldError> errors, int depth, RecipeVersion? version)
    {
        if (depth + 1 > MaxPrefixDepth)
        {
            errors.Add(new FieldError(path, $"prefix sources nest deeper than the limit of {MaxPrefixDepth}"));
            return null;
        }

        if (start.FromGroup < 1 || start.FromGroup >= Groups)
        {
            errors.Add(new FieldError(FieldError.Join(path, "fromGroup"), $"must be between 1 and {Groups - 1} (a prefix start keeps at least one group and redraws at least one), got {start.FromGroup}"));
            return null;
        }

        if (HasOverlap)
        {
            errors.Add(new FieldError(FieldError.Join(path, "fromGroup"), $"model {Model} has overlapping group intervals, so its groups are not finished at a boundary: no prefix start"));
            return null;
        }

        if ((start.Source is null) == (start.Coefficients is null))
        {
            errors.Add(new FieldError(FieldError.Join(path, "source"), "a prefix needs exactly one of source (a recipe) or coefficients"));
            return null;
        }

        if (start.Coefficients is { } coefficients)
            return CheckValues(coefficients, FieldError.Join(path, "coefficients"), errors) is { } values ? new PrefixStart.OfCoefficients(start.FromGroup, values) : null;
        return Check(start.Source!, FieldError.Join(path, "source"), errors, depth + 1, version, isSource: true) is { } source ? new PrefixStart.OfRecipe(start.FromGroup, source) : null;
    }
}
