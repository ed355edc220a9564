using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gdm.Core.Grouping;
using Gdm.Core.Sampling;
using Gdm.Core.Schedules;
using Gdm.Core.Transforms;

namespace Gdm.Core.Models;

/// <summary>
/// The description that travels beside model.onnx: everything downstream reads the shape, transform, grouping and
/// schedule from here. Read() validates and names the field at fault.
/// </summary>
public sealed record ModelManifest
{
    public const int CurrentFormatVersion = 1;
    public const string FileName = "manifest.json";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    public required string Name { get; init; }

    /// <summary>
    /// This model's version number among the models of its name (absent: 1). The service serves several versions of a
    /// name side by side: new work gets the highest, a recipe names its version by digest (RecipeVersion), and a recipe
    /// made before recipes named one replays on the lowest.
    /// </summary>
    public int Version { get; init; } = 1;

    public string? Description { get; init; }

    public required ManifestImage Image { get; init; }

    /// <summary>Pixel values the network was trained on: [min, max], normally [-1, 1].</summary>
    public IReadOnlyList<double> ValueRange { get; init; } = [-1.0, 1.0];

    public required string Transform { get; init; }

    public required string Grouping { get; init; }

    public required ManifestSchedule Schedule { get; init; }

    public bool CausalInput { get; init; }

    public required IReadOnlyList<int> DefaultStepsPerGroup { get; init; }

    /// <summary>
    /// The grid (GridSpacing's canonical name) new recipes get when their request names none; absent: "uniform".
    /// Recipes carry their grid; one without a grid was made before grids had names and is "uniform" on any model.
    /// </summary>
    public string? DefaultGrid { get; init; }

    /// <summary>The sampler new requests get when they name none (euler, heun or heun-euler-last); absent: euler.</summary>
    public string? DefaultSampler { get; init; }

    public required ManifestNetwork Network { get; init; }

    public required ManifestTraining Training { get; init; }

    /// <summary>Per-coefficient statistics of the training data in coefficient space; absent in older manifests.</summary>
    public CoefficientStatistics? Statistics { get; init; }

    [JsonIgnore]
    public ImageShape Shape => new(Image.Channels, Image.Height, Image.Width);

    /// <summary>DefaultGrid as a value ("uniform" when the manifest names none).</summary>
    [JsonIgnore]
    public GridSpacing DefaultGridSpacing => DefaultGrid is null ? GridSpacing.Uniform : GridSpacing.Parse(DefaultGrid);

    /// <summary>DefaultSampler as a value (euler when the manifest names none).</summary>
    [JsonIgnore]
    public SamplerKind DefaultSamplerKind => DefaultSampler is null ? SamplerKind.Euler : Samplers.Parse(DefaultSampler);

    /// <summary>The digest recipes name this model version by: the first 12 hex digits of its network's SHA-256.</summary>
    [JsonIgnore]
    public string Digest => Latents.RecipeVersion.DigestOf(Network.Sha256);

    /// <summary>
    /// The BandWarp shift of each group for a grid on this model: TimeGrid.Generation's shifts. A band-warp grid needs
    /// the data statistics (sigma_g); without them it throws an ArgumentException that says so.
    /// </summary>
    public IReadOnlyList<double> GridShifts(GridSpacing grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        return grid.Shifts(Schedule.Boundaries.Count - 1, Statistics?.GroupStd.Select(s => (double)s).ToArray());
    }

    public static ModelManifest Parse(string json)
    {
        ModelManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModelManifest>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new ManifestException(e.Path is { Length: > 0 } path ? path : "$", $"not a valid manifest: {e.Message}");
        }

        if (manifest is null)
            throw new ManifestException("$", "the manifest is empty");
        RefuseRemovedFields(json);
        manifest.Validate();
        return manifest;
    }

    // A network trained with the preconditioning option (removed: it measured worse, docs/training-ablations.md)
    // outputs the residual F, not u; read as u it would give wrong samples, so such a manifest is refused.
    private static void RefuseRemovedFields(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.TryGetProperty("preconditioned", out var preconditioned) && preconditioned.ValueKind != JsonValueKind.False)
            throw new ManifestException("preconditioned", $"is {preconditioned.GetRawText()}: this build serves only networks that output u (train the model again without --precondition)");
    }

    public static ModelManifest Read(string path) => Parse(File.ReadAllText(path));

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public void Write(string path)
    {
        Validate();
        File.WriteAllText(path, ToJson());
    }

    /// <summary>Lower-case hex SHA-256 of a file (the ONNX graph).</summary>
    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>The forward process this model was trained with.</summary>
    public GdmProcess ToProcess()
    {
        Validate();
        var grouping = CoefficientGrouping.Parse(Grouping, Shape);
        return new GdmProcess(
            OrthogonalTransform.Create(OrthogonalTransform.Parse(Transform), Shape),
            grouping,
            GroupSchedule.Create(Schedule.Boundaries, Schedule.Overlap),
            CausalInput);
    }

    /// <summary>Throws a ManifestException naming the first inconsistent field.</summary>
    public void Validate()
    {
        if (FormatVersion != CurrentFormatVersion)
            throw new ManifestException("formatVersion", $"version {FormatVersion} is not supported (this build reads {CurrentFormatVersion})");
        if (string.IsNullOrWhiteSpace(Name))
            throw new ManifestException("name", "a model needs a name");
        if (Version < 1)
            throw new ManifestException("version", $"must be a positive number, got {Version}");
        if (Image is null)
            throw new ManifestException("image", "missing");
        if (Image.Channels is not (1 or 3))
            throw new ManifestException("image.channels", $"must be 1 or 3, got {Image.Channels}");
        if (Image.Height < 1 || Image.Width < 1)
            throw new ManifestException("image", $"size {Image.Height}x{Image.Width} must be at least 1x1");
        if (ValueRange is not { Count: 2 } || !(ValueRange[0] < ValueRange[1]))
            throw new ManifestException("valueRange", "must be [min, max] with min < max");

        TransformKind transform;
        try
        {
            transform = OrthogonalTransform.Parse(Transform ?? "");
        }
        catch (FormatException e)
        {
            throw new ManifestException("transform", e.Message);
        }

        CoefficientGrouping grouping;
        try
        {
            grouping = CoefficientGrouping.Parse(Grouping ?? "", Shape);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new ManifestException("grouping", e.Message);
        }

        if (grouping.Transform != transform)
            throw new ManifestException("transform", $"grouping {grouping.Spec} works on {OrthogonalTransform.Name(grouping.Transform)} coefficients, not {Transform}");
        if (Schedule is null)
            throw new ManifestException("schedule", "missing");
        try
        {
            GroupSchedule.Create(Schedule.Boundaries ?? [], Schedule.Overlap);
        }
        catch (ArgumentException e)
        {
            throw new ManifestException("schedule", e.Message);
        }

        if (Schedule.Boundaries!.Count != grouping.Count + 1)
            throw new ManifestException("schedule.boundaries", $"{grouping.Count} groups need {grouping.Count + 1} boundaries, got {Schedule.Boundaries.Count}");
        if (DefaultStepsPerGroup is null || DefaultStepsPerGroup.Count != grouping.Count || DefaultStepsPerGroup.Any(s => s < 1))
            throw new ManifestException("defaultStepsPerGroup", $"needs one positive step count for each of the {grouping.Count} groups");
        if (Network is null)
            throw new ManifestException("network", "missing");
        if (string.IsNullOrWhiteSpace(Network.OnnxFile) || Path.GetFileName(Network.OnnxFile) != Network.OnnxFile)
            throw new ManifestException("network.onnxFile", $"must be a plain file name beside the manifest, got '{Network.OnnxFile}'");
        if (Network.Sha256 is not { Length: 64 } || !Network.Sha256.All(Uri.IsHexDigit))
            throw new ManifestException("network.sha256", "must be 64 hex digits");
        if (Training is null)
            throw new ManifestException("training", "missing");
        if (Training.Steps < 0)
            throw new ManifestException("training.steps", $"must be >= 0, got {Training.Steps}");
        Statistics?.Validate(Shape.Size, grouping.Count);
        if (DefaultSampler is not null)
        {
            try
            {
                Samplers.Parse(DefaultSampler);
            }
            catch (FormatException e)
            {
                throw new ManifestException("defaultSampler", e.Message);
            }
        }

        if (DefaultGrid is not null)
        {
            GridSpacing grid;
            try
            {
                grid = GridSpacing.Parse(DefaultGrid);
            }
            catch (FormatException e)
            {
                throw new ManifestException("defaultGrid", e.Message);
            }

            if (grid.Name != DefaultGrid)
                throw new ManifestException("defaultGrid", $"write the grid's canonical name {grid.Name}, not {DefaultGrid}");
            if (grid.NeedsGroupStds && Statistics is null)
                throw new ManifestException("defaultGrid", $"grid {grid.Name} needs the data statistics, and the manifest has none");
        }
    }
}

public sealed record ManifestImage(int Channels, int Height, int Width);

/// <summary>Boundaries 1 = e_0 > ... > 0 in generation order, and the overlap factor.</summary>
public sealed record ManifestSchedule(IReadOnlyList<double> Boundaries, double Overlap);

/// <summary>The ONNX graph: file name, checksum and tensor names (pixels [B,C,H,W] and times [B] in, output [B,C,H,W]).</summary>
public sealed record ManifestNetwork
{
    public required string OnnxFile { get; init; }

    public required string Sha256 { get; init; }

    public string InputPixels { get; init; } = "x";

    public string InputTimes { get; init; } = "t";

    public string Output { get; init; } = "u";

    public int OpsetVersion { get; init; } = 21;

    public long Parameters { get; init; }

    /// <summary>Free-form architecture description (base width, channel multipliers, attention levels).</summary>
    public string? Architecture { get; init; }
}

public sealed record ManifestTraining
{
    public required string DataSet { get; init; }

    public long Steps { get; init; }

    public int BatchSize { get; init; }

    public long Seed { get; init; }

    public string? Command { get; init; }

    public TimeSpan? WallTime { get; init; }

    public double? FinalLoss { get; init; }
}
