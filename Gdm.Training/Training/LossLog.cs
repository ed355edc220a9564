using System.Globalization;

namespace Gdm.Training.Training;

/// <summary>loss.csv: step,loss,learning_rate,training_seconds,loss_group_0,..., the group columns being that step's
/// GroupLosses (empty when no item of the batch fell in the group's interval). On resume, rows after the checkpoint's
/// step are dropped (they belonged to steps that will be redone).</summary>
public sealed class LossLog : IDisposable
{
    private const string BaseHeader = "step,loss,learning_rate,training_seconds";
    private readonly StreamWriter _writer;

    private LossLog(StreamWriter writer) => _writer = writer;

    public static LossLog Open(string path, long resumedStep, int groups)
    {
        var header = BaseHeader + string.Concat(Enumerable.Range(0, groups).Select(g => $",loss_group_{g}"));
        var kept = new List<string> { header };
        if (File.Exists(path))
            kept.AddRange(File.ReadLines(path).Skip(1).Where(line =>
                long.TryParse(line.AsSpan(0, Math.Max(0, line.IndexOf(',', StringComparison.Ordinal))), NumberStyles.Integer, CultureInfo.InvariantCulture, out var step)
                && step <= resumedStep));
        File.WriteAllLines(path, kept);
        return new LossLog(new StreamWriter(path, append: true));
    }

    public void Append(long step, float loss, double learningRate, double trainingSeconds, GroupLosses groupLosses)
    {
        var groups = string.Concat(Enumerable.Range(0, groupLosses.Count).Select(g =>
            double.IsNaN(groupLosses.Mean(g)) ? "," : string.Create(CultureInfo.InvariantCulture, $",{groupLosses.Mean(g):G5}")));
        _writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{step},{loss:G6},{learningRate:G4},{trainingSeconds:F2}{groups}"));
    }

    public void Flush() => _writer.Flush();

    public void Dispose() => _writer.Dispose();
}
