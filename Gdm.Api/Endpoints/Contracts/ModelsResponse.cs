namespace Gdm.Api.Endpoints.Contracts;

public sealed record ModelsResponse(IReadOnlyList<ModelDescription> Models, string? DefaultModel);

/// <summary>
/// A loaded model version: what it makes, how its coefficients are grouped and scheduled, and the defaults new recipes
/// get. `version` is the digest recipes name it by; `current` marks the version new work of its name gets (the others
/// are served for the recipes made with them).
/// </summary>
public sealed record ModelDescription(
    string Name,
    string Version,
    int VersionNumber,
    bool Current,
    Gdm.Core.Sampling.SamplerKind DefaultSampler,
    string DefaultGrid,
    string? Description,
    ShapeDescription Shape,
    IReadOnlyList<double> ValueRange,
    string Transform,
    string Grouping,
    bool CausalInput,
    double Overlap,
    IReadOnlyList<GroupDescription> Groups,
    string DataSet,
    long TrainingSteps);

public sealed record ShapeDescription(int Channels, int Height, int Width);

/// <summary>Group `index` (0 = generated first): its name, coefficient count, time interval and default steps.</summary>
public sealed record GroupDescription(int Index, string Name, int Size, IntervalDescription Interval, int DefaultSteps);

/// <summary>The group moves while t falls from `end` to `start`.</summary>
public sealed record IntervalDescription(double Start, double End);
