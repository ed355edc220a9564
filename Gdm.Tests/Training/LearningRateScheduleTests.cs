using Gdm.Training.Training;
using Xunit;

namespace Gdm.Tests.Training;

public class LearningRateScheduleTests
{
    private static readonly TrainingOptions Run = new() { Data = "synthetic", LearningRate = 1e-3, WarmupSteps = 100, Steps = 1100 };

    [Fact]
    public void Without_decay_the_rate_ramps_linearly_then_holds()
    {
        Assert.Equal(1e-5, LearningRateSchedule.At(Run, 0), 12);
        Assert.Equal(5e-4, LearningRateSchedule.At(Run, 49), 12);
        Assert.Equal(1e-3, LearningRateSchedule.At(Run, 99), 12);
        Assert.Equal(1e-3, LearningRateSchedule.At(Run, 1099), 12);
    }

    [Fact]
    public void Cosine_decay_keeps_the_warm_up_then_falls_to_half_midway_and_to_zero_at_the_last_step()
    {
        var cosine = Run with { LearningRateDecay = LearningRateSchedule.Cosine };
        for (var step = 0; step < 100; step++)
            Assert.Equal(LearningRateSchedule.At(Run, step), LearningRateSchedule.At(cosine, step), 12);
        Assert.Equal(1e-3, LearningRateSchedule.At(cosine, 100), 12);
        Assert.Equal(5e-4, LearningRateSchedule.At(cosine, 600), 12);
        Assert.Equal(0.0, LearningRateSchedule.At(cosine, 1100), 12);
        for (var step = 100; step < 1100; step++)
            Assert.True(LearningRateSchedule.At(cosine, step + 1) < LearningRateSchedule.At(cosine, step), $"the rate rose at step {step}");
    }

    [Fact]
    public void Options_saved_before_the_decay_existed_read_as_no_decay()
    {
        var saved = System.Text.Json.JsonSerializer.Deserialize<TrainingOptions>("""{"Data":"synthetic","NormaliseGroupLoss":true}""")!;
        Assert.Equal(LearningRateSchedule.None, saved.LearningRateDecay);
    }
}
