using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gdm.Training.Network;

/// <summary>
/// Process-wide settings libtorch must see before it first runs a kernel. Measured on this project's AMD EPYC
/// machines: oneDNN's AVX-512 backward-data convolution (the input gradient of every inner conv) returns NaN or
/// varying values when libtorch uses two threads; capping oneDNN at AVX2 makes it exact and bit-reproducible.
/// .NET's Environment.SetEnvironmentVariable does not reach native getenv on Linux, hence setenv from libc.
/// A value the user already set is kept.
/// </summary>
internal static class NativeSettings
{
    private const string OneDnnIsa = "DNNL_MAX_CPU_ISA";

    [ModuleInitializer]
    internal static void Apply()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(OneDnnIsa) is not null)
            return;
        _ = SetEnvironment(OneDnnIsa, "AVX2", 0);
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code for one call at start-up
    [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetEnvironment(string name, string value, int overwrite);
#pragma warning restore SYSLIB1054
}
