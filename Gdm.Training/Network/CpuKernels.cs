using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Gdm.Training.Network;

/// <summary>
/// oneDNN's AVX-512 convolutions are wrong on this project's (virtualised) AMD EPYC machines: a 3x3 conv with 24 input
/// channels gives a batch of two different from its items run alone (differences of 0.6), and input gradients turn NaN
/// or vary from run to run. So the trainer caps oneDNN at AVX2. Measured on a 2-core AMD EPYC with AVX2 and FMA (no
/// AVX-512) with `gdm-train check-kernels`: 3,000 forward-backward passes of the tiny test network (1 and 2 threads),
/// 600 more at load 5, and 100 of the shipped network at batch 8 were all finite and bit-identical, within 3e-6 of
/// libtorch's own kernels; a training step of the shipped network at batch 32 on one thread took 1.7 s with AVX2 and
/// 3.2 s capped at AVX, with a training run on the other core (AVX was an earlier cap, chosen after NaN input gradients were seen with AVX2 on another machine under
/// heavy load). The trainer still computes a non-finite pass again and skips the step if it fails twice, and
/// `check-kernels` checks a new machine. The cap must be in the environment the process STARTS with (setting it from
/// inside was not reliable), so the CLI re-launches itself once with the variable set when it is missing (a user's own
/// value always wins).
/// </summary>
public static class CpuKernels
{
    public const string IsaVariable = "DNNL_MAX_CPU_ISA";
    public const string SafeIsa = "AVX2";

    private const int Sigterm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>True when oneDNN was capped before the process started (or the platform is not Linux).</summary>
    public static bool Capped => !OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(IsaVariable) is not null;

    /// <summary>
    /// Runs this same command again with the variable set and returns its exit code, or null when this process is
    /// already safe (then the caller goes on). Standard streams are inherited, so output looks the same.
    /// </summary>
    public static int? RelaunchCappedIfNeeded(IReadOnlyList<string> arguments)
    {
        if (Capped || Environment.ProcessPath is not { } host)
            return null;
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        // Under `dotnet gdm-train.dll` the host is dotnet and the assembly path comes first; an apphost needs neither.
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            start.ArgumentList.Add(Environment.GetCommandLineArgs()[0]);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment[IsaVariable] = SafeIsa;
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"could not re-launch {host}");
        // Ctrl+C reaches the child through the terminal's process group; the parent only waits for it. SIGTERM is
        // sent to the parent alone (docker stop, kill PID), so it is passed on.
        Console.CancelKeyPress += (_, e) => e.Cancel = true;
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            _ = Kill(child.Id, Sigterm);
        });
        child.WaitForExit();
        return child.ExitCode;
    }
}
