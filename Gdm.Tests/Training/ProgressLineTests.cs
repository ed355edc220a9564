using Gdm.Training.Training;

namespace Gdm.Tests.Training;

public sealed class ProgressLineTests
{
    [Fact]
    public void A_logged_line_names_its_loss_as_the_mean_of_the_steps_since_the_last_line_and_shows_the_rate_and_time_left()
    {
        using var log = new StringWriter();
        var progress = new ProgressLine(log, firstStep: 0, targetSteps: 6, logEvery: 3, groups: 2);

        // Steps 1-3 and 4-6, losses 1, 2, 3 then 10, NaN (a skipped step), 20; group 1 gets items only in the first three.
        float[] losses = [1, 2, 3, 10, float.NaN, 20];
        for (var step = 1; step <= losses.Length; step++)
            progress.Report(step, losses[step - 1], [losses[step - 1], step <= 3 ? 0.5f : 0], [1, step <= 3 ? 1 : 0]);
        progress.Finish();

        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^step 3/6  mean loss of last 3 steps 2\.0000 \(groups 2\.000 0\.500\)  \d+\.\d\d steps/s  \d+h\d\dm\d\ds left$", lines[0]);
        Assert.Matches(@"^step 6/6  mean loss of last 2 steps 15\.0000 \(groups 15\.000 -\)  \d+\.\d\d steps/s  0h00m00s left$", lines[1]);
    }
}
