namespace Gdm.Api.Endpoints.Contracts;

public sealed record ModelsResponse(IReadOnlyList<ModelDescription> Models, string? DefaultModel);

/// <summary>A loaded model: what it makes and how its coefficients are grouped and scheduled.</summary>
public sealed record ModelDescription(
    string Name,
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
