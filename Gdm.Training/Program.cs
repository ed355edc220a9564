using Gdm.Training.Cli;
using Gdm.Training.Network;

// gdm-train: train | resume | export | stats | sample | benchmark | evaluate (TrainerCommandLine). `gdm-train --help`
// and `gdm-train VERB --help` list every flag with its unit and default; bad input is one line naming the flag or
// file, and exit code 2.
using var stopping = new CancellationTokenSource();
var root = TrainerCommandLine.Create(stopping.Token);
return await CommandLineRun.InvokeAsync(root, args, TrainerCommandLine.IsUsageError, beforeAction: _ =>
{
    // Only a command that will run is relaunched under the oneDNN cap: help and bad input answer at once.
    if (CpuKernels.RelaunchCappedIfNeeded(args) is { } relaunchedExitCode)
        return relaunchedExitCode;
    Console.CancelKeyPress += (_, e) =>
    {
        // First Ctrl+C: finish the current step and write a checkpoint; a second one kills the process.
        if (stopping.IsCancellationRequested)
            return;
        e.Cancel = true;
        Console.Error.WriteLine("stopping after this step (Ctrl+C again to abort)");
        stopping.Cancel();
    };
    return null;
});
