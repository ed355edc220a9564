using Gdm.Core;
using Gdm.Core.Schedules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Gdm.Training.Network;

/// <summary>
/// The pixel-space u network: x = T^T hide(y_t) [B, C, H, W] and t [B] in, [B, C, H, W] out (its transform T is u).
/// DDPM layout: a stem conv, per level ResidualBlocksPerLevel blocks and a downsample, a middle of residual,
/// attention, residual, then the mirrored way up taking one skip per block, and GroupNorm, SiLU, conv out.
/// The exporter (Onnx/UNetExporter) walks these modules in the same order. Group-level conditioning needs the
/// process's group schedule, whose intervals define each group's noise level.
/// </summary>
public sealed class UNet : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly TimeEmbedding _time;
    private readonly Conv2d _stem;
    private readonly ModuleList<UNetBlock> _down;
    private readonly ModuleList<Downsample> _downsamples;
    private readonly UNetBlock _middle;
    private readonly ResidualBlock _middleOut;
    private readonly ModuleList<UNetBlock> _up;
    private readonly ModuleList<Upsample> _upsamples;
    private readonly Normalization _outputNorm;
    private readonly Conv2d _outputConv;

    public UNet(ImageShape shape, UNetOptions options, GroupSchedule? schedule = null)
        : base(nameof(UNet))
    {
        ArgumentNullException.ThrowIfNull(options);
        TorchThreads.EnsureConfigured();
        Validate(shape, options, schedule);
        Shape = shape;
        Options = options;
        var embeddingWidth = 4 * options.BaseWidth;
        var groups = options.NormGroups;
        var scaleShift = options.UsesGroupLevels;
        var intervals = scaleShift ? Enumerable.Range(0, schedule!.Count).Select(schedule.Interval).ToArray() : null;
        _time = new TimeEmbedding(options.BaseWidth, embeddingWidth, intervals);
        _stem = nn.Conv2d(shape.Channels, options.BaseWidth, 3, padding: 1);

        var down = new List<UNetBlock>();
        var downsamples = new List<Downsample>();
        var skipWidths = new Stack<int>();
        skipWidths.Push(options.BaseWidth);
        var channels = options.BaseWidth;
        for (var level = 0; level < options.Levels; level++)
        {
            var attention = options.HasAttention(shape.Height, level);
            for (var r = 0; r < options.ResidualBlocksPerLevel; r++)
            {
                down.Add(new UNetBlock(channels, options.Width(level), embeddingWidth, groups, attention, scaleShift));
                channels = options.Width(level);
                skipWidths.Push(channels);
            }

            if (level < options.Levels - 1)
            {
                downsamples.Add(new Downsample(channels));
                skipWidths.Push(channels);
            }
        }

        var middleAttention = options.HasAttention(shape.Height, options.Levels - 1);
        _middle = new UNetBlock(channels, channels, embeddingWidth, groups, middleAttention, scaleShift);
        _middleOut = new ResidualBlock(channels, channels, embeddingWidth, groups, scaleShift);

        var up = new List<UNetBlock>();
        var upsamples = new List<Upsample>();
        for (var level = options.Levels - 1; level >= 0; level--)
        {
            var attention = options.HasAttention(shape.Height, level);
            for (var r = 0; r <= options.ResidualBlocksPerLevel; r++)
            {
                up.Add(new UNetBlock(channels + skipWidths.Pop(), options.Width(level), embeddingWidth, groups, attention, scaleShift));
                channels = options.Width(level);
            }

            if (level > 0)
                upsamples.Add(new Upsample(channels));
        }

        _down = nn.ModuleList(down.ToArray());
        _downsamples = nn.ModuleList(downsamples.ToArray());
        _up = nn.ModuleList(up.ToArray());
        _upsamples = nn.ModuleList(upsamples.ToArray());
        _outputNorm = new Normalization(groups, channels);
        _outputConv = nn.Conv2d(channels, shape.Channels, 3, padding: 1);
        RegisterComponents();
    }

    public ImageShape Shape { get; }

    public UNetOptions Options { get; }

    internal TimeEmbedding Time => _time;
    internal Conv2d Stem => _stem;
    internal IList<UNetBlock> Down => _down;
    internal IList<Downsample> Downsamples => _downsamples;
    internal UNetBlock Middle => _middle;
    internal ResidualBlock MiddleOut => _middleOut;
    internal IList<UNetBlock> Up => _up;
    internal IList<Upsample> Upsamples => _upsamples;
    internal Normalization OutputNorm => _outputNorm;
    internal Conv2d OutputConv => _outputConv;

    public long ParameterCount => parameters().Sum(p => p.numel());

    public override Tensor forward(Tensor x, Tensor times)
    {
        var embedding = _time.forward(times);
        var h = _stem.forward(x);
        var skips = new Stack<Tensor>();
        skips.Push(h);
        var block = 0;
        for (var level = 0; level < Options.Levels; level++)
        {
            for (var r = 0; r < Options.ResidualBlocksPerLevel; r++)
            {
                h = _down[block++].forward(h, embedding);
                skips.Push(h);
            }

            if (level < Options.Levels - 1)
            {
                h = _downsamples[level].forward(h);
                skips.Push(h);
            }
        }

        h = _middleOut.forward(_middle.forward(h, embedding), embedding);

        block = 0;
        for (var level = Options.Levels - 1; level >= 0; level--)
        {
            for (var r = 0; r <= Options.ResidualBlocksPerLevel; r++)
                h = _up[block++].forward(cat([h, skips.Pop()], 1), embedding);
            if (level > 0)
                h = _upsamples[Options.Levels - 1 - level].forward(h);
        }

        var output = _outputConv.forward(nn.functional.silu(_outputNorm.forward(h)));
        return output;
    }

    private static void Validate(ImageShape shape, UNetOptions options, GroupSchedule? schedule)
    {
        if (!UNetOptions.ConditioningNames.Contains(options.Conditioning))
            throw new ArgumentException($"conditioning '{options.Conditioning}' is not one of {string.Join(", ", UNetOptions.ConditioningNames)}");
        if (options.UsesGroupLevels && schedule is null)
            throw new ArgumentException("group-level conditioning needs the group schedule whose noise levels it reads");
        if (options.BaseWidth < 2 || options.BaseWidth % 2 != 0)
            throw new ArgumentException($"the base width must be an even number >= 2, got {options.BaseWidth}");
        if (options.Levels < 1 || options.ChannelMultipliers.Any(m => m < 1))
            throw new ArgumentException($"channel multipliers must be positive, got {string.Join(",", options.ChannelMultipliers)}");
        if (options.ResidualBlocksPerLevel < 1)
            throw new ArgumentException($"a level needs at least one residual block, got {options.ResidualBlocksPerLevel}");
        var factor = 1 << (options.Levels - 1);
        if (shape.Height % factor != 0 || shape.Width % factor != 0)
            throw new ArgumentException(
                $"{options.Levels} levels halve the resolution {options.Levels - 1} times, so the image size {shape.Height}x{shape.Width} must be divisible by {factor}: use fewer channel multipliers");
    }
}
