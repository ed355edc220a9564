using System.CommandLine;
using Gdm.Training.Network;
using Gdm.Training.Training;

namespace Gdm.Training.Cli;

/// <summary>
/// The flags of `train` and `benchmark`: one per TrainingOptions and UNetOptions setting, each with the record's own
/// default, so the help shows what a run gets when the flag is left out.
/// </summary>
public sealed class TrainingFlags
{
    private static readonly TrainingOptions Defaults = new() { Data = "synthetic" };

    private readonly Option<string> _data;
    private readonly Option<string> _grouping = Flag.Text("--grouping", "SPEC", "how coefficients form groups: dct-bands[:EDGES], rows:K[:bottom-up|top-down], patches:SIZE, single (plain rectified flow)", Defaults.Grouping);
    private readonly Option<int> _imageSize = Flag.Number("--image-size", "PIXELS", "image side for folder and synthetic data, in pixels (IDX files carry their own)", Defaults.ImageSize, 1);
    private readonly Option<int> _channels = Flag.Number("--channels", "CHANNELS", "colour channels for folder and synthetic data: 1 or 3", Defaults.Channels, 1);
    private readonly Option<IReadOnlyList<double>?> _intervals = Flag.List("--intervals", "LENGTHS", "each group's time-interval length in generation order, comma-separated, normalised to sum 1", "equal lengths", Flag.RealNumber);
    private readonly Option<double> _overlap = Flag.Number("--overlap", "W", "overlap factor w of neighbouring groups' intervals (0: prefix starts are exact)", Defaults.Overlap, 0.0);
    private readonly Option<bool> _causalInput = Flag.Switch("--causal-input", "hide groups that have not started from the network (the default; kept so recorded commands parse)", "on");
    private readonly Option<bool> _noCausalInput = Flag.Switch("--no-causal-input", "show the network every group, started or not");
    private readonly Option<bool> _plainLoss = Flag.Switch("--plain-loss", "unweighted squared error instead of each group's loss divided by its expected size");
    private readonly Option<long> _steps = Flag.Number("--steps", "STEPS", "optimizer steps the run aims for", Defaults.Steps, 1L);
    private readonly Option<int> _batch = Flag.Number("--batch", "IMAGES", "images per optimizer step", Defaults.BatchSize, 1);
    private readonly Option<double> _learningRate = Flag.Number("--lr", "RATE", "AdamW learning rate after warm-up", Defaults.LearningRate, 0.0);
    private readonly Option<int> _warmup = Flag.Number("--warmup", "STEPS", "steps of linear learning-rate warm-up", Defaults.WarmupSteps, 0);
    private readonly Option<string> _lrDecay = Flag.Choice("--lr-decay", "none|cosine", "learning rate after warm-up: held (none) or a cosine down to zero at the last step", Defaults.LearningRateDecay, LearningRateSchedule.Names);
    private readonly Option<double> _weightDecay = Flag.Number("--weight-decay", "DECAY", "AdamW decoupled weight decay", Defaults.WeightDecay, 0.0);
    private readonly Option<double> _clip = Flag.Number("--clip", "NORM", "global gradient-norm clip (L2 norm of all gradients)", Defaults.GradientClip, 0.0);
    private readonly Option<double> _ema = Flag.Number("--ema", "DECAY", "EMA decay of the exported weights per step", Defaults.EmaDecay, 0.0);
    private readonly Option<int> _seed = Flag.Number("--seed", "SEED", "seeds the initial weights, the data order and every step's noise and times", Defaults.Seed, int.MinValue);
    private readonly Option<int> _checkpointEvery = Flag.Number("--checkpoint-every", "STEPS", "steps between checkpoints (a stopped run loses at most this many)", Defaults.CheckpointEvery, 1);
    private readonly Option<int> _sampleEvery = Flag.Number("--sample-every", "STEPS", "steps between sample grids in the run folder (0: never)", Defaults.SampleEvery, 0);
    private readonly Option<int> _logEvery = Flag.Number("--log-every", "STEPS", "steps between progress lines when the output is a log file, not a terminal", Defaults.LogEvery, 1);
    private readonly Option<string> _device = Flag.Text("--device", "cpu|cuda", "where to train (cuda falls back to cpu with a message when libtorch has no CUDA)", Defaults.Device);
    private readonly Option<int> _threads = Flag.Number("--threads", "THREADS", "intra-op threads (0: one, or libtorch's default when DNNL_MAX_CPU_ISA was set by the user)", Defaults.Threads, 0);
    private readonly Option<int> _width = Flag.Number("--width", "CHANNELS", "U-Net channels at full resolution", Defaults.Network.BaseWidth, 2);
    private readonly Option<IReadOnlyList<int>?> _mults = Flag.List("--mults", "LIST", "width multiplier per U-Net level, comma-separated (each level after the first halves the resolution)", string.Join(',', Defaults.Network.ChannelMultipliers), Flag.WholeNumber);
    private readonly Option<int> _resBlocks = Flag.Number("--res-blocks", "BLOCKS", "residual blocks per U-Net level on the way down", Defaults.Network.ResidualBlocksPerLevel, 1);
    private readonly Option<IReadOnlyList<int>?> _attention = Flag.List("--attention", "PIXELS", "feature-map heights with self-attention, comma-separated; none for no attention", "the lowest level only", Flag.WholeNumber);
    private readonly Option<int> _normGroups = Flag.Number("--norm-groups", "GROUPS", "GroupNorm groups (must divide every width)", Defaults.Network.NormGroups, 1);
    private readonly Option<string> _conditioning = Flag.Choice("--conditioning", "time|group-levels", "what the network is told of the process: sinusoids of t added to the features (time), or those and every group's noise level scaling and shifting them (group-levels)", Defaults.Network.Conditioning, UNetOptions.ConditioningNames);

    /// <param name="dataDefault">The data spec when --data is left out; null makes --data required.</param>
    public TrainingFlags(string? dataDefault)
    {
        const string what = "training images: fashion-mnist[:DIR], idx:IMAGES_FILE, folder:DIR, synthetic[:COUNT]";
        _data = dataDefault is null ? Flag.Required("--data", "SPEC", what) : Flag.Text("--data", "SPEC", what, dataDefault);
    }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[]
                 {
                     _data, _grouping, _imageSize, _channels, _intervals, _overlap, _causalInput, _noCausalInput, _plainLoss,
                     _steps, _batch, _learningRate, _warmup, _lrDecay, _weightDecay, _clip, _ema, _seed, _checkpointEvery, _sampleEvery, _logEvery, _device, _threads,
                     _width, _mults, _resBlocks, _attention, _normGroups, _conditioning,
                 })
            command.Options.Add(option);
    }

    public TrainingOptions Read(ParseResult result)
    {
        return new TrainingOptions
        {
            Data = result.GetValue(_data)!,
            Grouping = result.GetValue(_grouping)!,
            ImageSize = result.GetValue(_imageSize),
            Channels = result.GetValue(_channels),
            IntervalLengths = result.GetValue(_intervals),
            Overlap = result.GetValue(_overlap),
            CausalInput = !result.GetValue(_noCausalInput) && (result.GetValue(_causalInput) || Defaults.CausalInput),
            NormaliseGroupLoss = !result.GetValue(_plainLoss),
            Steps = result.GetValue(_steps),
            BatchSize = result.GetValue(_batch),
            LearningRate = result.GetValue(_learningRate),
            WarmupSteps = result.GetValue(_warmup),
            LearningRateDecay = result.GetValue(_lrDecay)!,
            WeightDecay = result.GetValue(_weightDecay),
            GradientClip = result.GetValue(_clip),
            EmaDecay = result.GetValue(_ema),
            Seed = result.GetValue(_seed),
            CheckpointEvery = result.GetValue(_checkpointEvery),
            SampleEvery = result.GetValue(_sampleEvery),
            LogEvery = result.GetValue(_logEvery),
            Device = result.GetValue(_device)!,
            Threads = result.GetValue(_threads),
            Network = new UNetOptions
            {
                BaseWidth = result.GetValue(_width),
                ChannelMultipliers = result.GetValue(_mults) ?? Defaults.Network.ChannelMultipliers,
                ResidualBlocksPerLevel = result.GetValue(_resBlocks),
                AttentionResolutions = result.GetValue(_attention),
                NormGroups = result.GetValue(_normGroups),
                Conditioning = result.GetValue(_conditioning)!,
            },
        };
    }
}
