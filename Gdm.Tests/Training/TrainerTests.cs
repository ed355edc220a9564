using Gdm.Training.Network;
using Gdm.Training.Training;
using static TorchSharp.torch;

namespace Gdm.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class TrainerTests
{
    [Fact]
    public void A_few_training_steps_lower_the_loss_on_a_fixed_evaluation_batch()
    {
        using var folder = new TinyRun();
        var options = TinyRun.Options() with { LearningRate = 3e-3, BatchSize = 16 };
        var data = TinyRun.Data(options);
        using var trainer = Trainer.Start(options, folder.Run("loss"), data, CPU);

        var before = EvaluationLoss(trainer, data);
        for (var i = 0; i < 40; i++)
            trainer.TrainStep();
        var after = EvaluationLoss(trainer, data);

        Assert.True(after < 0.7 * before, $"loss {before} before and {after} after 40 steps");
    }

    [Theory]
    [InlineData(UNetOptions.TimeConditioning)]
    [InlineData(UNetOptions.GroupLevelConditioning)]
    public void Resuming_from_a_checkpoint_continues_bit_identically_to_an_uninterrupted_run(string conditioning)
    {
        using var folder = new TinyRun();
        var options = TinyRun.Options() with { CheckpointEvery = 3, Network = TinyRun.Network with { Conditioning = conditioning } };
        var data = TinyRun.Data(options);

        var straight = folder.Run("straight");
        float[] straightModel, straightEma;
        using (var trainer = Trainer.Start(options, straight, data, CPU))
        {
            trainer.Run(6, TextWriter.Null);
            (straightModel, straightEma) = (Flatten(trainer.Model), Flatten(trainer.Ema));
        }

        var interrupted = folder.Run("interrupted");
        using (var trainer = Trainer.Start(options, interrupted, data, CPU))
            trainer.Run(3, TextWriter.Null);
        using (var trainer = Trainer.Resume(options, interrupted, data, CPU, interrupted.LatestCheckpoint()!))
        {
            Assert.Equal(3, trainer.Step);
            trainer.Run(6, TextWriter.Null);
            Assert.Equal(straightModel, Flatten(trainer.Model));
            Assert.Equal(straightEma, Flatten(trainer.Ema));
        }

        Assert.Equal(Losses(straight), Losses(interrupted));
    }

    [Fact]
    public void A_step_whose_loss_stays_non_finite_is_computed_again_then_skipped_without_touching_the_weights()
    {
        using var folder = new TinyRun();
        var options = TinyRun.Options();
        var data = TinyRun.Data(options);
        using var trainer = Trainer.Start(options, folder.Run("nan"), data, CPU);
        using (no_grad())
            trainer.Model.parameters().Last().fill_(float.NaN);
        var (model, ema) = (Flatten(trainer.Model), Flatten(trainer.Ema));

        var loss = trainer.TrainStep();

        Assert.True(float.IsNaN(loss));
        Assert.Equal((1L, 1L, 1L), (trainer.Step, trainer.RetriedPasses, trainer.SkippedSteps));
        Assert.Equal(model, Flatten(trainer.Model));
        Assert.Equal(ema, Flatten(trainer.Ema));
    }

    private static float EvaluationLoss(Trainer trainer, Gdm.Training.Data.ImageDataSet data)
    {
        using var scope = NewDisposeScope();
        using var noGradient = no_grad();
        const int batch = 32;
        var shape = data.Shape;
        var pixels = new float[batch * shape.Size];
        for (var i = 0; i < batch; i++)
            data.CopyScaled(i, pixels.AsSpan(i * shape.Size, shape.Size));
        var clean = Tensors.Copy(pixels, [batch, shape.Channels, shape.Height, shape.Width]);
        var generator = new Generator(1234);
        var eps = randn([batch, shape.Channels, shape.Height, shape.Width], generator: generator);
        var times = Enumerable.Range(0, batch).Select(i => (i + 0.5f) / batch).ToArray();
        return trainer.Loss(trainer.Model, clean, eps, times).item<float>();
    }

    private static float[] Flatten(UNet network) =>
        network.parameters().SelectMany(p => p.detach().cpu().data<float>().ToArray()).ToArray();

    private static string[] Losses(RunDirectory run) =>
        File.ReadAllLines(run.LossLog).Skip(1).Select(line => string.Join(',', line.Split(',').Take(3))).ToArray();
}
