using System.Diagnostics;
using System.Globalization;

namespace Gdm.Training.Training;

/// <summary>
/// "step 1200/20000  mean loss of last 20 steps 0.2143 (groups 0.412 0.305 ...)  2.41 steps/s  2h10m05s left": redrawn
/// in place on a terminal, one line every LogEvery steps in a log file. The loss shown is the running mean since the
/// last LogEvery boundary over the steps whose loss was finite (the line says how many), and so is each group's
/// (GroupLosses); the rate is since this process started, and the time left is the remaining steps at that rate.
/// </summary>
public sealed class ProgressLine(TextWriter output, long firstStep, long targetSteps, int logEvery, int groups)
{
    private readonly GroupLosses _groupLosses = new(groups);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
    private double _lossSum;
    private int _lossCount;

    public void Report(long step, float loss, ReadOnlySpan<float> groupSums, ReadOnlySpan<float> groupCounts)
    {
        _groupLosses.Add(groupSums, groupCounts);
        if (float.IsFinite(loss))
        {
            _lossSum += loss;
            _lossCount++;
        }
        var due = _interactive ? _clock.ElapsedMilliseconds > 0 : step % Math.Max(1, logEvery) == 0 || step == targetSteps;
        if (!due)
            return;
        var rate = (step - firstStep) / Math.Max(1e-9, _clock.Elapsed.TotalSeconds);
        var eta = rate > 0 ? TimeSpan.FromSeconds((targetSteps - step) / rate) : TimeSpan.Zero;
        var line = string.Create(CultureInfo.InvariantCulture,
            $"step {step}/{targetSteps}  mean loss of last {_lossCount} step{(_lossCount == 1 ? "" : "s")} {_lossSum / _lossCount:F4} (groups {_groupLosses.Format()})  {rate:F2} steps/s  {(int)eta.TotalHours}h{eta.Minutes:D2}m{eta.Seconds:D2}s left");
        if (_interactive)
        {
            output.Write("\r" + line.PadRight(78));
            if (step % Math.Max(1, logEvery) != 0)
                return;
        }
        else
        {
            output.WriteLine(line);
        }

        _lossSum = 0;
        _lossCount = 0;
        _groupLosses.Reset();
    }

    public void Finish()
    {
        if (_interactive)
            output.WriteLine();
        output.Flush();
    }
}
