using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Gdm.Training.Network;

namespace Gdm.Tests.Training;

/// <summary>
/// gdm-train as a service manager stops it: SIGTERM to the process it started (docker stop, systemd, kill PID).
/// Training must finish its step, write a checkpoint there and exit 0, also when the process re-launched itself under
/// the oneDNN cap (then SIGTERM reaches only the parent, which passes it on).
/// </summary>
[Collection(TorchCollection.Name)]
public sealed partial class StopSignalTests
{
    // capped: DNNL_MAX_CPU_ISA already set, so one process; otherwise gdm-train relaunches itself under the cap and the
    // parent forwards SIGTERM to the child. everyProcess: SIGTERM to every process of the run, as `pkill -f` sends it,
    // so the relaunched child gets it twice (directly and forwarded) and must still stop at a step.
    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public async Task Sigterm_stops_training_after_a_step_with_a_checkpoint_there(bool capped, bool everyProcess)
    {
        using var folder = new TinyRun();
        var run = Path.Combine(folder.Folder, "run");
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "gdm-train"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["train", "--data", "synthetic:64", "--grouping", "dct-bands", "--image-size", "8", "--channels", "3",
                     "--batch", "8", "--width", "8", "--mults", "1,2", "--norm-groups", "4", "--steps", "1000000", "--checkpoint-every", "100000",
                     "--sample-every", "0", "--log-every", "1", "--threads", "1", "--out", run])
            start.ArgumentList.Add(argument);
        if (capped)
            start.Environment[CpuKernels.IsaVariable] = CpuKernels.SafeIsa;
        else
            start.Environment.Remove(CpuKernels.IsaVariable);

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            var error = process.StandardError.ReadToEndAsync(timeout.Token);
            string? line;
            while ((line = await process.StandardOutput.ReadLineAsync(timeout.Token)) is not null && !line.StartsWith("step ", StringComparison.Ordinal))
            {
            }

            Assert.NotNull(line);
            // The run folder is this test's own (a new GUID), so pkill -f matches only the processes it started.
            using (var kill = everyProcess
                       ? Process.Start("pkill", ["-TERM", "-f", run])
                       : Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync(timeout.Token);
            var rest = await process.StandardOutput.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);

            Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}; stdout: {rest}; stderr: {await error}");
            Assert.Contains("SIGTERM: stopping after this step", await error, StringComparison.Ordinal);
            var stopped = StoppedAt().Match(rest);
            Assert.True(stopped.Success, rest);
            var step = long.Parse(stopped.Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.InRange(step, 1, 999_999);
            Assert.True(Directory.Exists(Path.Combine(run, "checkpoints", $"step-{step:D7}")), $"no checkpoint at step {step}");
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
    }

    [GeneratedRegex(@"stopped at step (\d+);")]
    private static partial Regex StoppedAt();
}
