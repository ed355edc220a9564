using Gdm.Core.Models;
using Gdm.Core.Sampling;
using Gdm.Core.Schedules;
using Gdm.Training.Network;
using Gdm.Training.Onnx;
using Gdm.Training.Training;
using static TorchSharp.torch;

namespace Gdm.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class PreconditionedTrainingTests
{
    [Fact]
    public void An_exported_preconditioned_model_denoises_with_the_u_the_trainer_regressed_on()
    {
        using var folder = new TinyRun();
        var options = TinyRun.Options() with { Preconditioned = true, TimeWarpReference = 1.0, CheckpointEvery = 2 };
        var data = TinyRun.Data(options);
        var run = folder.Run("run");
        float[] expected;
        var shape = data.Shape;
        const int batch = 3;
        var random = new Random(11);
        var states = Enumerable.Range(0, batch * shape.Size).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        double[] times = [0.9, 0.55, 0.12];
        using (var trainer = Trainer.Start(options, run, data, CPU))
        {
            trainer.Run(2, TextWriter.Null);
            Assert.Equal(run.ReadStatistics()!.Std, trainer.Statistics.Std);
            // The trainer's tensors: u = u_lin + c(a) T net(T^T hide(y_t)), hiding as the loss does (causal-input).
            using var scope = NewDisposeScope();
            using var noGradient = no_grad();
            using var tensors = new ProcessTensors(trainer.Process, CPU);
            var (levels, _, visible) = tensors.ScheduleAt(times.Select(t => (float)t).ToArray());
            var noisy = Tensors.Copy(states, [batch, shape.Channels, shape.Height, shape.Width]);
            var residual = tensors.ToCoefficients(trainer.Ema.forward(tensors.ToPixels(noisy * visible), Tensors.Copy(times.Select(t => (float)t).ToArray(), [batch])));
            var u = tensors.LinearU(noisy, levels) + tensors.ResidualScale(levels) * residual;
            expected = u.data<float>().ToArray();
        }

        var model = Path.Combine(folder.Folder, "model");
        var manifest = ModelExport.Export(run, run.LatestCheckpoint()!, model, "tiny", "test");
        Assert.True(manifest.Preconditioned);
        Assert.Equal(run.ReadStatistics()!.Mean, manifest.Statistics!.Mean);

        using var onnx = OnnxImageNetwork.Open(model, manifest);
        var actual = new float[states.Length];
        var process = ModelManifest.Read(Path.Combine(model, ModelManifest.FileName)).ToProcess();
        var started = times.Select(t => process.Schedule.StartedGroups(t, t)).ToArray();
        new NetworkDenoiser(onnx, process).Predict(states, times, started, actual);
        for (var i = 0; i < actual.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-3 * (1 + Math.Abs(expected[i])), $"coefficient {i}: trainer {expected[i]}, exported {actual[i]}");
    }

    [Fact]
    public void Warped_training_times_keep_each_item_in_its_group_and_place_it_at_the_warped_level()
    {
        var schedule = GroupSchedule.Equal(2);
        var warp = new WarpedTrainingTimes(schedule, [4.0, 1.0]);
        float[] times = [0.75f, 0.25f, 0.999f, 0.0f];

        warp.Apply(times);

        // Group 0 on [0.5, 1] with s = 4: tau 0.5 -> a = 0.8 -> t = 0.9; group 1 with s = 1 is unchanged.
        Assert.Equal(0.9f, times[0], 5);
        Assert.Equal(0.25f, times[1], 6);
        Assert.InRange(times[2], 0.9995f, 1f);
        Assert.Equal(0f, times[3]);
    }

    [Fact]
    public void Group_losses_average_sums_over_counts_and_mark_groups_without_items()
    {
        var losses = new GroupLosses(3);
        losses.Add([2f, 0f, 3f], [4f, 0f, 2f]);
        losses.Add([2f, 0f, float.NaN], [4f, 0f, 2f]);

        Assert.Equal(0.5, losses.Mean(0));
        Assert.True(double.IsNaN(losses.Mean(1)));
        Assert.Equal(1.5, losses.Mean(2));
        Assert.Equal("0.500 - 1.500", losses.Format());
        losses.Reset();
        Assert.Equal("- - -", losses.Format());
    }
}
