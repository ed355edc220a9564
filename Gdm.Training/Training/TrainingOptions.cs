using Gdm.Core;
using Gdm.Core.Grouping;
using Gdm.Core.Schedules;
using Gdm.Core.Transforms;
using Gdm.Training.Network;

namespace Gdm.Training.Training;

/// <summary>Everything a run needs to be repeated, saved as options.json in the run directory. Each default says why.</summary>
public sealed record TrainingOptions
{
    /// <summary>The --data spec (fashion-mnist[:DIR], idx:FILE, folder:DIR, synthetic[:COUNT]).</summary>
    public required string Data { get; init; }

    /// <summary>The --grouping spec; dct-bands is GDM-F of the paper, single is the rectified-flow baseline.</summary>
    public string Grouping { get; init; } = "dct-bands";

    /// <summary>Image side for folder and synthetic data (IDX files carry their own): 32 matches CIFAR-sized nets.</summary>
    public int ImageSize { get; init; } = 32;

    /// <summary>Channels for folder and synthetic data: colour is one of the synthetic factors.</summary>
    public int Channels { get; init; } = 3;

    /// <summary>Interval lengths per group in generation order (normalised); null is equal lengths, the paper's default.</summary>
    public IReadOnlyList<double>? IntervalLengths { get; init; }

    /// <summary>Overlap factor w of the group schedule; 0 keeps prefix starts exact.</summary>
    public double Overlap { get; init; }

    /// <summary>Hide groups that have not started from the network (causal-input). On by default, decided from the
    /// measurements in docs/results.md: it makes the latent levels exact (zero leakage of group g's noise into
    /// earlier groups, so a variation replayed from t = 1 equals its prefix start bit for bit), at a Fréchet-distance
    /// cost that was 11 % after 200 steps. --no-causal-input turns it off.</summary>
    public bool CausalInput { get; init; } = true;

    /// <summary>Weight each group's squared error by 1 / E[(eps - y)^2] of that group (GroupLossWeights): without
    /// it the DCT's coarse groups, whose targets are hundreds of times larger, drown the fine ones. Required in
    /// options.json: a run written before this option existed trained without it, and must not resume with it.</summary>
    [System.Text.Json.Serialization.JsonRequired]
    public bool NormaliseGroupLoss { get; init; } = true;

    /// <summary>Total optimizer steps the run aims for; resume may raise it.</summary>
    public long Steps { get; init; } = 4000;

    /// <summary>32 images: on two CPU cores the step time grows about linearly with the batch, and 32 still gives a
    /// stable loss with the per-item time sampling of the GDM loss.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>5e-4: small U-Nets trained for a few thousand steps tolerate more than DDPM's 2e-4 and get further.</summary>
    public double LearningRate { get; init; } = 5e-4;

    /// <summary>Linear warm-up steps: Adam's second-moment estimates are noisy for the first few hundred steps.</summary>
    public int WarmupSteps { get; init; } = 200;

    /// <summary>What the rate does after warm-up (LearningRateSchedule): none holds it, which keeps runs started before
    /// this option resuming as they were; cosine takes it to zero at the last step, so the final weights (and the EMA
    /// over them) come from small steps.</summary>
    public string LearningRateDecay { get; init; } = LearningRateSchedule.None;

    /// <summary>AdamW decoupled weight decay; small, since the EMA already smooths the weights.</summary>
    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>Global gradient-norm clip: keeps the rare high-loss batch (t near a boundary) from jolting the weights.</summary>
    public double GradientClip { get; init; } = 1.0;

    /// <summary>EMA decay, ramped as min(decay, (1 + step) / (10 + step)) so early weights do not linger; 0.999 averages
    /// about the last thousand steps, right for runs of a few thousand.</summary>
    public double EmaDecay { get; init; } = 0.999;

    /// <summary>Seeds the initial weights, the data order and every step's noise and times.</summary>
    public int Seed { get; init; }

    /// <summary>Checkpoint interval in steps: a stopped run loses at most this many.</summary>
    public int CheckpointEvery { get; init; } = 200;

    /// <summary>Sample-grid interval in steps (0: never): a grid costs about as much as a few dozen training steps.</summary>
    public int SampleEvery { get; init; } = 1000;

    /// <summary>Progress-line interval in steps when the output is not a terminal (a log file).</summary>
    public int LogEvery { get; init; } = 20;

    /// <summary>cpu or cuda; cuda falls back to cpu with a message when this build of libtorch has no CUDA.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Intra-op threads; 0 is one, or libtorch's default when DNNL_MAX_CPU_ISA was set at start (see TorchThreads:
    /// several threads give wrong convolution gradients on this project's CPUs otherwise).</summary>
    public int Threads { get; init; }

    public UNetOptions Network { get; init; } = new();

    /// <summary>A model folder whose exported weights the run starts from (--init-from) instead of random ones: it
    /// continues a model whose run folder is not at hand. Null: the seeded random initialisation.</summary>
    public string? InitialWeights { get; init; }

    /// <summary>Optimizer steps already in the initial weights (their manifest's training steps), so an export of the
    /// run counts every step that made its weights. 0 without --init-from.</summary>
    public long InitialSteps { get; init; }

    /// <summary>The command line that started the run, for the manifest.</summary>
    public string? Command { get; init; }

    /// <summary>The forward process these options describe for images of the given shape (Core's types throughout).</summary>
    public GdmProcess CreateProcess(ImageShape shape)
    {
        var grouping = CoefficientGrouping.Parse(Grouping, shape);
        var schedule = IntervalLengths is null
            ? GroupSchedule.Equal(grouping.Count, Overlap)
            : IntervalLengths.Count == grouping.Count
                ? GroupSchedule.FromLengths(IntervalLengths, Overlap)
                : throw new ArgumentException($"--intervals lists {IntervalLengths.Count} lengths for the {grouping.Count} groups of {grouping.Spec}");
        return new GdmProcess(OrthogonalTransform.Create(grouping.Transform, shape), grouping, schedule, CausalInput);
    }
}
