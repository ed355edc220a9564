using System.Diagnostics;

namespace Gdm.Training.Network;

/// <summary>
/// Measured on this project's (virtualised) AMD EPYC machines: oneDNN's wide-vector convolutions are wrong. With its
/// AVX-512 kernels a 3x3 conv with 24 input channels gives a batch of two different from its items run alone
/// (differences of 0.6), and input gradients turn NaN or vary from run to run, more often under load. Its AVX2 kernels
/// are rarer but not clean: a convolution's input gradient came back NaN in about 5% of backward passes of the tiny
/// test network (the same inputs, the same weights), which skipped a training step and broke bit-identical resume.
/// Capped at AVX (DNNL_MAX_CPU_ISA=AVX) no NaN was seen in 350 such passes and a step of the shipped model costs the
/// same as with AVX2 (1.21 s at width 32, batch 32); SSE41 is also clean but 36% slower. The cap must be in the
/// environment the process STARTS with (setting it from inside was not reliable), so the CLI re-launches itself once
/// with the variable set when it is missing (a user's own value always wins).
/// </summary>
public static class CpuKernels
{
    public const string IsaVariable = "DNNL_MAX_CPU_ISA";
    public const string SafeIsa = "AVX";

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
        // Ctrl+C reaches the child through the terminal's process group; the parent only waits for it.
        Console.CancelKeyPress += (_, e) => e.Cancel = true;
        child.WaitForExit();
        return child.ExitCode;
    }
}
