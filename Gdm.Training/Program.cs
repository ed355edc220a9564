using System.Runtime.InteropServices;
using Gdm.Training.Cli;
using Gdm.Training.Network;

// gdm-train: train | resume | export | stats | sample | benchmark | check-kernels | evaluate (TrainerCommandLine). `gdm-train --help`
// and `gdm-train VERB --help` list every flag with its unit and default; bad input is one line naming the flag or
// file, and exit code 2.
using var stopping = new CancellationTokenSource();
var registrations = new List<PosixSignalRegistration>();
var root = TrainerCommandLine.Create(stopping.Token);
var exitCode = await CommandLineRun.InvokeAsync(root, args, TrainerCommandLine.IsUsageError, beforeAction: parsed =>
{
    // Only a command that will run is relaunched under the oneDNN cap: help and bad input answer at once.
    if (CpuKernels.RelaunchCappedIfNeeded(args) is { } relaunchedExitCode)
        return relaunchedExitCode;
    if (!TrainerCommandLine.StopsAtAStep(parsed))
        return null;
    // The first Ctrl+C or SIGTERM (docker stop, systemd, kill PID) lets the step finish and a checkpoint be written.
    // A second Ctrl+C ends the process at once; a second SIGTERM does not: `pkill -f gdm-train` signals both the
    // capped relaunch's parent, which forwards it, and the child, and a stop asked for twice is still a stop
    // (SIGKILL is the signal for "now").
    foreach (var (signal, message) in new[] { (PosixSignal.SIGINT, "stopping after this step (Ctrl+C again to abort)"), (PosixSignal.SIGTERM, "SIGTERM: stopping after this step") })
    {
        registrations.Add(PosixSignalRegistration.Create(signal, context =>
        {
            if (stopping.IsCancellationRequested)
            {
                context.Cancel = signal == PosixSignal.SIGTERM;
                return;
            }

            context.Cancel = true;
            Console.Error.WriteLine(message);
            stopping.Cancel();
        }));
    }

    return null;
});
// The handlers stay until the process ends: `pkill -f` signals both the capped relaunch's parent, which forwards its
// SIGTERM, and the child, and the second one can arrive after the last step; with no handler left it would end a
// clean stop with 143 instead of 0.
GC.KeepAlive(registrations);
return exitCode;
