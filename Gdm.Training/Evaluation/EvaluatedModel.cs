using Gdm.Core;
using Gdm.Core.Latents;
using Gdm.Core.Models;
using Gdm.Core.Sampling;
using Gdm.Core.Schedules;
using Gdm.Training.Onnx;

namespace Gdm.Training.Evaluation;

/// <summary>An exported model (ONNX Runtime) with Gdm.Core's sampler: generation, prefix starts and inversion in chunks.</summary>
public sealed class EvaluatedModel : IDisposable
{
    private const int Chunk = 64;
    private readonly OnnxImageNetwork _network;
    private readonly IDenoiser _denoiser;

    public EvaluatedModel(string directory, int threads = 0)
    {
        Directory = directory;
        var manifestPath = Path.Combine(directory, ModelManifest.FileName);
        if (!File.Exists(manifestPath))
            throw new ManifestException("manifest", $"{manifestPath} not found");
        Manifest = ModelManifest.Read(manifestPath);
        Process = Manifest.ToProcess();
        _network = OnnxImageNetwork.Open(directory, Manifest, threads);
        _denoiser = new NetworkDenoiser(_network, Process);
    }

    public string Directory { get; }

    public ModelManifest Manifest { get; }

    public GdmProcess Process { get; }

    public ImageShape Shape => Process.Shape;

    public int Groups => Process.Grouping.Count;

    /// <summary>The model's name with its version (fashion-dct v3), so two versions of one model stay apart in the tables.</summary>
    public string Name => $"{Manifest.Name} v{Manifest.Version}";

    public string Label => $"{Name} ({Process.Grouping.Spec}{(HidesUnstartedGroups ? ", causal-input" : "")}, {Manifest.Training.Steps} steps)";

    /// <summary>Causal-input with something to hide: with one group nothing waits (it starts at t = 1), so the flag means nothing.</summary>
    public bool HidesUnstartedGroups => Process.CausalInput && Process.Grouping.Count > 1;

    public float[] Latent(LatentRecipe recipe) => recipe.Realise(Process.Grouping);

    /// <summary>Runs generation from each start (a full latent, or a prefix state when firstGroup > 0) to t = 0.</summary>
    public float[][] Generate(IReadOnlyList<float[]> starts, IReadOnlyList<int> stepsPerGroup, SamplerKind sampler, GridSpacing grid, int firstGroup = 0) =>
        Integrate(starts, GenerationGrid(stepsPerGroup, grid, firstGroup), sampler);

    /// <summary>Runs the ODE from data (t = 0) to its latent (t = 1).</summary>
    public float[][] Invert(IReadOnlyList<float[]> coefficients, IReadOnlyList<int> stepsPerGroup, SamplerKind sampler, GridSpacing grid) =>
        Integrate(coefficients, TimeGrid.Inversion(Process.Schedule, stepsPerGroup, shifts: Manifest.GridShifts(grid)), sampler);

    public TimeGrid GenerationGrid(IReadOnlyList<int> stepsPerGroup, GridSpacing grid, int firstGroup = 0) =>
        TimeGrid.Generation(Process.Schedule, stepsPerGroup, firstGroup, Manifest.GridShifts(grid));

    /// <summary>
    /// The most steps per group (equal for every group) whose generation takes at most the given network evaluations
    /// with a sampler on a grid (at least one step per group).
    /// </summary>
    public int[] StepsWithin(int evaluations, SamplerKind sampler, GridSpacing grid)
    {
        var rule = Samplers.Create(sampler);
        for (var n = Math.Max(1, evaluations / Groups); n > 1; n--)
        {
            var steps = TimeGrid.EqualSteps(Groups, n).ToArray();
            if (rule.TotalEvaluations(GenerationGrid(steps, grid)) <= evaluations)
                return steps;
        }

        return TimeGrid.EqualSteps(Groups, 1).ToArray();
    }

    /// <summary>Pixels in [-1, 1] of coefficient states, image after image.</summary>
    public float[] ToPixels(IReadOnlyList<float[]> coefficients)
    {
        var d = Shape.Size;
        var pixels = new float[coefficients.Count * d];
        for (var i = 0; i < coefficients.Count; i++)
            Process.Transform.Inverse(coefficients[i], pixels.AsSpan(i * d, d));
        return pixels;
    }

    public float[] ToCoefficients(ReadOnlySpan<float> pixels)
    {
        var coefficients = new float[pixels.Length];
        Process.Transform.Forward(pixels, coefficients);
        return coefficients;
    }

    public void Dispose() => _network.Dispose();

    private float[][] Integrate(IReadOnlyList<float[]> starts, TimeGrid grid, SamplerKind sampler)
    {
        var results = new float[starts.Count][];
        for (var first = 0; first < starts.Count; first += Chunk)
        {
            var trajectories = starts.Skip(first).Take(Chunk).Select(s => new Trajectory((float[])s.Clone(), grid)).ToArray();
            Integrator.Run(_denoiser, Samplers.Create(sampler), Process.Grouping, trajectories);
            for (var i = 0; i < trajectories.Length; i++)
                results[first + i] = trajectories[i].State;
        }

        return results;
    }
}
