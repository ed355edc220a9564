using Gdm.Core.Sampling;
using Gdm.Core.Schedules;

namespace Gdm.Training.Evaluation;

/// <summary>What `gdm-train evaluate` measures and where it writes. Each default says why.</summary>
public sealed record EvaluationOptions
{
    /// <summary>The model whose levels, encode PSNR and figures are reported (the shipped one).</summary>
    public required string Model { get; init; }

    /// <summary>Models compared with it on Fréchet distance and leakage (baseline, other causal-input setting).</summary>
    public IReadOnlyList<string> Compare { get; init; } = [];

    public required string OutputDirectory { get; init; }

    /// <summary>Fashion-MNIST folder with train and test images and labels.</summary>
    public string DataDirectory { get; init; } = Data.DataSpec.FashionMnistDirectory;

    /// <summary>1,000 samples per model: the Fréchet distance's sampling spread is then a few percent of its value.</summary>
    public int Samples { get; init; } = 1000;

    /// <summary>Network evaluations per sample, split equally over the groups, so every model gets the same budget.</summary>
    public int EvaluationsPerSample { get; init; } = 48;

    /// <summary>ONNX Runtime's intra-op threads per model; 0: its default, one per core (one is faster on a core shared with other work).</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Samplers whose FD is measured, each with as many equal steps per group as the budget allows. The first also
    /// makes the level, leakage and figure images. Euler: the sampler the earlier reports used.
    /// </summary>
    public IReadOnlyList<SamplerKind> Samplers { get; init; } = [SamplerKind.Euler];

    /// <summary>Grids whose FD is measured with every sampler; the first is used everywhere else. Uniform: today's grid.</summary>
    public IReadOnlyList<GridSpacing> Grids { get; init; } = [GridSpacing.Uniform];

    /// <summary>Images per level for the label-kept rate: 200 gives a standard error under 3.5 points.</summary>
    public int LevelImages { get; init; } = 200;

    public int LeakageImages { get; init; } = 64;

    public int EncodeImages { get; init; } = 100;

    public ulong Seed { get; init; } = 2026;

    /// <summary>Three epochs bring the small classifier to about 90 % test accuracy in under a minute.</summary>
    public int ClassifierEpochs { get; init; } = 3;

    public string? ClassifierCache { get; init; }
}
