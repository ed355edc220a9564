using System.Diagnostics;
using System.Globalization;
using Gdm.Core;
using Gdm.Core.Models;
using Gdm.Training.Data;
using Gdm.Training.Imaging;
using Gdm.Training.Network;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Gdm.Training.Training;

/// <summary>
/// Trains the u network with the GDM loss: per item t ~ U(0, 1), y_t = (1 - a_g(t)) y + a_g(t) eps
/// per group, and the squared error of T net(T^T hide(y_t), t) against eps - y over the groups active at t.
/// Each step's data, times and noise are pure functions of (seed, step), so resuming from a checkpoint of the
/// weights, the EMA and AdamW's moments continues bit-identically.
/// </summary>
public sealed class Trainer : IDisposable
{
    /// <summary>Images in the grid drawn every SampleEvery steps.</summary>
    public const int GridImages = 16;

    /// <summary>Euler steps per group for the grids (the manifest's default too).</summary>
    public const int GridStepsPerGroup = 8;

    private readonly TrainingOptions _options;
    private readonly RunDirectory _run;
    private readonly ImageDataSet _data;
    private readonly ProcessTensors _process;
    private readonly UNet _model;
    private readonly UNet _ema;
    private readonly AdamW _optimizer;
    private readonly DataOrder _order;
    private readonly Device _device;
    private readonly Tensor _lossWeights; // [1, C, H, W]: GroupLossWeights per coefficient, or ones
    private readonly float[] _groupSums, _groupCounts;
    private double _trainingSeconds;
    private double? _lastLoss;

    private Trainer(TrainingOptions options, RunDirectory run, ImageDataSet data, Device device, CoefficientStatistics statistics)
    {
        if (!LearningRateSchedule.Names.Contains(options.LearningRateDecay))
            throw new ArgumentException($"learning-rate decay '{options.LearningRateDecay}' is not one of {string.Join(", ", LearningRateSchedule.Names)}");
        _options = options;
        Statistics = statistics;
        _run = run;
        _data = data;
        _device = device;
        _process = new ProcessTensors(options.CreateProcess(data.Shape), device);
        var groups = _process.Process.Grouping.Count;
        _lossWeights = _process.PerCoefficient(options.NormaliseGroupLoss
            ? GroupLossWeights.Estimate(data, _process.Process)
            : Enumerable.Repeat(1f, groups).ToArray());
        _groupSums = new float[groups];
        _groupCounts = new float[groups];
        manual_seed(options.Seed); // module initialisation draws from libtorch's global generator
        _model = new UNet(data.Shape, options.Network, _process.Process.Schedule);
        _ema = new UNet(data.Shape, options.Network, _process.Process.Schedule);
        if (device.type != DeviceType.CPU)
        {
            _model.to(device);
            _ema.to(device);
        }

        CopyWeights(_model, _ema);
        foreach (var p in _ema.parameters())
            p.requires_grad = false;
        _optimizer = optim.AdamW(_model.parameters(), options.LearningRate, weight_decay: options.WeightDecay);
        _order = new DataOrder(data.Count, options.BatchSize, options.Seed);
    }

    public long Step { get; private set; }

    /// <summary>Steps whose loss or gradient was not finite twice and were therefore not applied (this process only).</summary>
    public long SkippedSteps { get; private set; }

    /// <summary>Forward-backward passes that were not finite and were computed again (this process only).</summary>
    public long RetriedPasses { get; private set; }

    public UNet Model => _model;

    /// <summary>Per group, the weighted squared errors summed over the last step's batch (of its last pass).</summary>
    public ReadOnlySpan<float> LastGroupSums => _groupSums;

    /// <summary>Per group, the coefficients the last step's batch supervised.</summary>
    public ReadOnlySpan<float> LastGroupCounts => _groupCounts;

    /// <summary>The training set's coefficient statistics (statistics.json of the run).</summary>
    public CoefficientStatistics Statistics { get; }

    public UNet Ema => _ema;

    public GdmProcess Process => _process.Process;

    public static Trainer Start(TrainingOptions options, RunDirectory run, ImageDataSet data, Device device)
    {
        var statistics = MeasureStatistics(options, data);
        var trainer = new Trainer(options, run, data, device, statistics);
        if (options.InitialWeights is { } model)
        {
            // Before the run folder is written: refused weights leave no half-made run behind.
            try
            {
                InitialWeights.Load(trainer._model, model);
            }
            catch
            {
                trainer.Dispose();
                throw;
            }

            CopyWeights(trainer._model, trainer._ema);
        }

        run.WriteOptions(options);
        if (data.Factors is { } factors)
            File.WriteAllText(Path.Combine(run.Path, "factors.csv"), SyntheticShapes.FactorsCsv(factors));
        run.WriteStatistics(statistics);
        return trainer;
    }

    public static Trainer Resume(TrainingOptions options, RunDirectory run, ImageDataSet data, Device device, string checkpoint)
    {
        var state = CheckpointState.Read(checkpoint);
        if (state.Shape != data.Shape)
            throw new RunException(checkpoint, $"was trained on {state.Shape} images, the data set now gives {data.Shape}");
        // A run started before runs saved their statistics gets them now (they are a pure function of the data).
        var statistics = run.ReadStatistics();
        if (statistics is null)
        {
            statistics = MeasureStatistics(options, data);
            run.WriteStatistics(statistics);
        }

        var trainer = new Trainer(options, run, data, device, statistics);
        trainer._model.load(Path.Combine(checkpoint, CheckpointState.ModelFile));
        trainer._ema.load(Path.Combine(checkpoint, CheckpointState.EmaFile));
        trainer._optimizer.load_state_dict(Path.Combine(checkpoint, CheckpointState.OptimizerFile));
        trainer.Step = state.Step;
        trainer._trainingSeconds = state.TrainingSeconds;
        trainer._lastLoss = state.LastLoss;
        return trainer;
    }

    /// <summary>
    /// One AdamW step on the batch of step Step; returns the loss. A pass whose loss or gradient is not finite is
    /// computed once more on the same batch (the inputs are a pure function of (seed, step), so a transient native
    /// fault, see CpuKernels, leaves no trace in the run); if it fails again the step is skipped and counted.
    /// </summary>
    public float TrainStep()
    {
        var (value, norm) = ForwardBackward();
        if (!IsFinite(value, norm))
        {
            RetriedPasses++;
            (value, norm) = ForwardBackward();
        }

        if (IsFinite(value, norm))
        {
            foreach (var group in _optimizer.ParamGroups)
                group.LearningRate = LearningRate(Step);
            _optimizer.step();
            UpdateEma();
        }
        else
        {
            SkippedSteps++;
            _optimizer.zero_grad();
        }

        Step++;
        _lastLoss = float.IsFinite(value) ? value : null;
        return value;
    }

    /// <summary>
    /// The GDM loss: per item, the mean of w_g e^2 over the coefficients of groups active at its t, then the mean
    /// over items, so every time interval weighs the same whatever the size of its group: e = T net - (eps - y), and
    /// w_g are the GroupLossWeights (or 1 with --plain-loss).
    /// clean: pixels [B, C, H, W] in [-1, 1]; eps: coefficient-space noise [B, C, H, W]; times: t per item.
    /// </summary>
    public Tensor Loss(UNet network, Tensor clean, Tensor eps, float[] times) => LossTerms(network, clean, eps, times).Loss;

    /// <summary>The loss, and per group the sums of w_g e^2 over the batch and the number of supervised coefficients ([K] each, no gradient).</summary>
    public (Tensor Loss, Tensor GroupSums, Tensor GroupCounts) LossTerms(UNet network, Tensor clean, Tensor eps, float[] times)
    {
        var (levels, active, visible) = _process.ScheduleAt(times);
        var y = _process.ToCoefficients(clean);
        var noisy = (1 - levels) * y + levels * eps;
        var input = _process.ToPixels(noisy * visible);
        var output = _process.ToCoefficients(network.forward(input, Tensors.Copy(times, [times.Length], _device)));
        var target = eps - y;
        var squared = (output - target).square() * active * _lossWeights;
        var loss = (squared.sum([1, 2, 3]) / active.sum([1, 2, 3]).clamp_min(1f)).mean();
        using var noGradient = no_grad();
        return (loss, _process.SumPerGroup(squared.detach()), _process.SumPerGroup(active));
    }

    /// <summary>The statistics of every image of the data set, in the coefficients of the options' process.</summary>
    public static CoefficientStatistics MeasureStatistics(TrainingOptions options, ImageDataSet data)
    {
        var grouping = Gdm.Core.Grouping.CoefficientGrouping.Parse(options.Grouping, data.Shape);
        var transform = Gdm.Core.Transforms.OrthogonalTransform.Create(grouping.Transform, data.Shape);
        return CoefficientStatistics.Measure(transform, grouping, data.ScaledImages(), data.Name);
    }

    public double LearningRate(long step) => LearningRateSchedule.At(_options, step);

    public void SaveCheckpoint()
    {
        Directory.CreateDirectory(_run.CheckpointsFolder);
        var partial = _run.CheckpointFolder(Step) + ".partial";
        if (Directory.Exists(partial))
            Directory.Delete(partial, recursive: true);
        Directory.CreateDirectory(partial);
        _model.save(Path.Combine(partial, CheckpointState.ModelFile));
        _ema.save(Path.Combine(partial, CheckpointState.EmaFile));
        _optimizer.save_state_dict(Path.Combine(partial, CheckpointState.OptimizerFile));
        new CheckpointState(Step, _trainingSeconds, _lastLoss, _data.Name, _data.Shape.Channels, _data.Shape.Height, _data.Shape.Width).Write(partial);
        _run.Publish(partial, Step);
    }

    /// <summary>Trains until Step reaches targetSteps with the progress line, loss.csv, grids and checkpoints.</summary>
    public void Run(long targetSteps, TextWriter output, CancellationToken cancellationToken = default)
    {
        var groups = Process.Grouping.Count;
        using var log = LossLog.Open(_run.LossLog, Step, groups);
        var progress = new ProgressLine(output, Step, targetSteps, _options.LogEvery, groups);
        var stepLosses = new GroupLosses(groups);
        var clock = Stopwatch.StartNew();
        var loaded = Step;
        while (Step < targetSteps && !cancellationToken.IsCancellationRequested)
        {
            var started = clock.Elapsed.TotalSeconds;
            var (skipped, retried) = (SkippedSteps, RetriedPasses);
            var loss = TrainStep();
            _trainingSeconds += clock.Elapsed.TotalSeconds - started;
            stepLosses.Reset();
            stepLosses.Add(_groupSums, _groupCounts);
            log.Append(Step, loss, LearningRate(Step - 1), _trainingSeconds, stepLosses);
            if (SkippedSteps > skipped)
                output.WriteLine($"step {Step}: loss or gradient not finite twice, step skipped ({SkippedSteps} so far)");
            else if (RetriedPasses > retried)
                output.WriteLine($"step {Step}: loss or gradient not finite, computed again ({RetriedPasses} so far)");
            progress.Report(Step, loss, _groupSums, _groupCounts);
            if (Step % _options.CheckpointEvery == 0 || Step == targetSteps)
            {
                log.Flush();
                SaveCheckpoint();
            }

            if (_options.SampleEvery > 0 && Step % _options.SampleEvery == 0)
                SaveGrid(Path.Combine(_run.SamplesFolder, $"step-{Step.ToString("D7", CultureInfo.InvariantCulture)}.png"));
        }

        progress.Finish();
        // A stop between checkpoints saves where it stopped; without a step taken the loaded checkpoint is already it
        // (saving it again would replace the folder it was just read from).
        if (Step != loaded && Step % _options.CheckpointEvery != 0 && Step != targetSteps)
            SaveCheckpoint();
    }

    public void SaveGrid(string path)
    {
        var network = new TorchImageNetwork(_ema, _device);
        var stepsPerGroup = Enumerable.Repeat(GridStepsPerGroup, Process.Grouping.Count).ToArray();
        var pixels = GridSampler.Sample(network, Process, GridImages, (ulong)_options.Seed, stepsPerGroup);
        ImageGrid.Save(path, pixels, _data.Shape, ImageGrid.DefaultColumns(GridImages));
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _model.Dispose();
        _ema.Dispose();
        _process.Dispose();
        _lossWeights.Dispose();
    }

    /// <summary>Seed of step s: a splitmix-style mix of (seed, step) so neighbouring steps get unrelated streams.</summary>
    public static long StepSeed(int seed, long step)
    {
        var z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)step + 1);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (long)((z ^ (z >> 31)) >> 1);
    }

    /// <summary>
    /// The loss and clipped gradient of step Step's batch. The forward and backward pass run in their own dispose
    /// scope; the optimizer and EMA updates run outside it, so no tensor the optimizer keeps between steps can ever be
    /// owned (and freed) by a step's scope.
    /// </summary>
    private (float Loss, double GradientNorm) ForwardBackward()
    {
        float value;
        using (var scope = NewDisposeScope())
        {
            using var generator = new Generator((ulong)StepSeed(_options.Seed, Step));
            var shape = _data.Shape;
            var batch = _options.BatchSize;
            var eps = randn([batch, shape.Channels, shape.Height, shape.Width], generator: generator).to(_device);
            var times = rand([batch], generator: generator).data<float>().ToArray();
            var clean = LoadBatch(_order.Batch(Step));

            var (loss, groupSums, groupCounts) = LossTerms(_model, clean, eps, times);
            _optimizer.zero_grad();
            loss.backward();
            value = loss.item<float>();
            groupSums.data<float>().CopyTo(_groupSums);
            groupCounts.data<float>().CopyTo(_groupCounts);
        }

        var norm = _options.GradientClip > 0
            ? nn.utils.clip_grad_norm_(_model.parameters(), _options.GradientClip)
            : 0.0;
        return (value, norm);
    }

    private static bool IsFinite(float loss, double gradientNorm) => float.IsFinite(loss) && double.IsFinite(gradientNorm);

    private Tensor LoadBatch(int[] indices)
    {
        var d = _data.Shape.Size;
        var values = new float[indices.Length * d];
        for (var j = 0; j < indices.Length; j++)
            _data.CopyScaled(indices[j], values.AsSpan(j * d, d));
        return Tensors.Copy(values, [indices.Length, _data.Shape.Channels, _data.Shape.Height, _data.Shape.Width], _device);
    }

    /// <summary>ema = d ema + (1 - d) model, with d ramped as min(decay, (1 + step) / (10 + step)).</summary>
    private void UpdateEma()
    {
        var decay = Math.Min(_options.EmaDecay, (1.0 + Step) / (10.0 + Step));
        using var noGradient = no_grad();
        using var emaParameters = _ema.parameters().GetEnumerator();
        foreach (var p in _model.parameters())
        {
            emaParameters.MoveNext();
            emaParameters.Current.mul_(decay).add_(p, alpha: 1.0 - decay);
        }
    }

    private static void CopyWeights(UNet from, UNet to)
    {
        using var noGradient = no_grad();
        foreach (var (source, target) in from.parameters().Zip(to.parameters()))
            target.copy_(source);
    }
}
