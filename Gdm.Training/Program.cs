using System.Runtime.InteropServices;
using Gdm.Training.Cli;
using Gdm.Training.Network;

// gdm-train: train | resume | export | stats | sample | benchmark | check-kernels | evaluate (TrainerCommandLine). `gdm-train --help`
// and `gdm-train VERB --help` list every flag with its unit and default; bad input is one line naming the flag or
// file, and exit code 2.
using var stopping = new CancellationTokenSource();
PosixSignalRegistration? terminate = null;
var root = TrainerCommandLine.Create(stopping.Token);
var exitCode = await CommandLineRun.InvokeAsync(root, args, TrainerCommandLine.IsUsageError, beforeAction: parsed =>
{
    // Only a command that will run is relaunched under the oneDNN cap: help and bad input answer at once.
    if (CpuKernels.RelaunchCappedIfNeeded(args) is { } relaunchedExitCode)
        return relaunchedExitCode;
    if (!TrainerCommandLine.StopsAtAStep(parsed))
        return null;
    Console.CancelKeyPress += (_, e) =>
    {
        // First Ctrl+C: finish the current step and write a checkpoint; a second one kills the process.
        if (stopping.IsCancellationRequested)
            return;
        e.Cancel = true;
        Console.Error.WriteLine("stopping after this step (Ctrl+C again to abort)");
        stopping.Cancel();
    };
    // SIGTERM (docker stop, systemd, kill PID) stops the same way: the step finishes and a checkpoint is written; a
    // second SIGTERM ends the process at once.
    terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
    {
        if (stopping.IsCancellationRequested)
            return;
        context.Cancel = true;
        Console.Error.WriteLine("SIGTERM: stopping after this step");
        stopping.Cancel();
    });
    return null;
});
terminate?.Dispose();
return exitCode;
