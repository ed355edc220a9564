using static TorchSharp.torch;

namespace Gdm.Training.Network;

/// <summary>
/// libtorch's intra-op thread count. Without DNNL_MAX_CPU_ISA in the starting environment oneDNN's AVX-512 kernels
/// are wrong on this project's CPUs (see CpuKernels), worst with several threads; such a process (a test host that
/// was not given the variable, a library user) is held to one thread, which limits the damage, and warned.
/// </summary>
public static class TorchThreads
{
    private static int _configured;

    /// <summary>True when several threads are safe: the user capped oneDNN's ISA before the process started.</summary>
    public static bool SeveralThreadsAreSafe => CpuKernels.Capped;

    /// <summary>Applies a requested count (0: libtorch's default when safe, else 1); returns the count in use.</summary>
    public static int Configure(int requested, TextWriter? warnings = null)
    {
        Interlocked.Exchange(ref _configured, 1);
        var threads = requested > 0 ? requested : SeveralThreadsAreSafe ? get_num_threads() : 1;
        if (threads > 1 && !SeveralThreadsAreSafe)
        {
            warnings?.WriteLine($"--threads {threads}: oneDNN's AVX-512 convolutions are wrong on some CPUs; using 1 (start the process with {CpuKernels.IsaVariable}={CpuKernels.SafeIsa} to use more)");
            threads = 1;
        }

        set_num_threads(threads);
        return threads;
    }

    /// <summary>Makes sure a process that never called Configure (tests, a library user) runs exact: one thread unless safe.</summary>
    internal static void EnsureConfigured()
    {
        if (Interlocked.CompareExchange(ref _configured, 1, 0) == 0 && !SeveralThreadsAreSafe)
            set_num_threads(1);
    }
}
