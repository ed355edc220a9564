using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gdm.Bench;

/// <summary>
/// The machine's fp32 peak on a given number of threads, measured: each thread runs fused multiply-adds on the
/// widest vectors the CPU has (AVX-512, else AVX2+FMA, else whatever Vector&lt;float&gt; is), on twelve independent
/// accumulators so the FMA units' latency is covered, all threads at once. No memory traffic: this is the
/// arithmetic limit a convolution can approach, not a figure any real kernel reaches.
/// </summary>
public static class PeakFlops
{
    private const int Accumulators = 12;

    public static string Instructions =>
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? "AVX-512 FMA"
        : Fma.IsSupported && Vector256.IsHardwareAccelerated ? "AVX2 FMA (256-bit)"
        : $"Vector<float> ({Vector<float>.Count} lanes, multiply + add)";

    /// <summary>GFLOP/s over all threads together: the median of `repeats` runs of about `seconds` each.</summary>
    public static double Measure(int threads, double seconds = 0.4, int repeats = 3)
    {
        var figures = new List<double>();
        Run(threads, 0.05); // warm-up: JIT to the final tier, clocks up
        for (var r = 0; r < repeats; r++)
            figures.Add(Run(threads, seconds));
        return Latencies.Percentile(figures, 50);
    }

    private static double Run(int threads, double seconds)
    {
        var flops = new double[threads];
        using var start = new Barrier(threads + 1);
        var workers = Enumerable.Range(0, threads).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            flops[i] = Spin(seconds);
        }) { IsBackground = true }).ToArray();
        foreach (var worker in workers)
            worker.Start();
        start.SignalAndWait();
        var started = Stopwatch.GetTimestamp();
        foreach (var worker in workers)
            worker.Join();
        return flops.Sum() / Stopwatch.GetElapsedTime(started).TotalSeconds / 1e9;
    }

    // Rounds of 1,000 FMAs per accumulator until the time is up; returns the floating-point operations done.
    private static double Spin(double seconds)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        long rounds = 0;
        float sink = 0;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            sink += Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? Round512()
                : Fma.IsSupported && Vector256.IsHardwareAccelerated ? Round256()
                : RoundPortable();
            rounds++;
        }

        GC.KeepAlive(sink);
        var lanes = Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? 16 : Fma.IsSupported && Vector256.IsHardwareAccelerated ? 8 : Vector<float>.Count;
        return rounds * 1000.0 * Accumulators * lanes * 2;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Round512()
    {
        var m = Vector512.Create(0.999999f);
        var c = Vector512.Create(1e-7f);
        Vector512<float> a0 = Vector512.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (var i = 0; i < 1000; i++)
        {
            a0 = Avx512F.FusedMultiplyAdd(a0, m, c); a1 = Avx512F.FusedMultiplyAdd(a1, m, c); a2 = Avx512F.FusedMultiplyAdd(a2, m, c);
            a3 = Avx512F.FusedMultiplyAdd(a3, m, c); a4 = Avx512F.FusedMultiplyAdd(a4, m, c); a5 = Avx512F.FusedMultiplyAdd(a5, m, c);
            a6 = Avx512F.FusedMultiplyAdd(a6, m, c); a7 = Avx512F.FusedMultiplyAdd(a7, m, c); a8 = Avx512F.FusedMultiplyAdd(a8, m, c);
            a9 = Avx512F.FusedMultiplyAdd(a9, m, c); a10 = Avx512F.FusedMultiplyAdd(a10, m, c); a11 = Avx512F.FusedMultiplyAdd(a11, m, c);
        }

        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Round256()
    {
        var m = Vector256.Create(0.999999f);
        var c = Vector256.Create(1e-7f);
        Vector256<float> a0 = Vector256.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (var i = 0; i < 1000; i++)
        {
            a0 = Fma.MultiplyAdd(a0, m, c); a1 = Fma.MultiplyAdd(a1, m, c); a2 = Fma.MultiplyAdd(a2, m, c);
            a3 = Fma.MultiplyAdd(a3, m, c); a4 = Fma.MultiplyAdd(a4, m, c); a5 = Fma.MultiplyAdd(a5, m, c);
            a6 = Fma.MultiplyAdd(a6, m, c); a7 = Fma.MultiplyAdd(a7, m, c); a8 = Fma.MultiplyAdd(a8, m, c);
            a9 = Fma.MultiplyAdd(a9, m, c); a10 = Fma.MultiplyAdd(a10, m, c); a11 = Fma.MultiplyAdd(a11, m, c);
        }

        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float RoundPortable()
    {
        var m = new Vector<float>(0.999999f);
        var c = new Vector<float>(1e-7f);
        Vector<float> a0 = Vector<float>.One, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (var i = 0; i < 1000; i++)
        {
            a0 = a0 * m + c; a1 = a1 * m + c; a2 = a2 * m + c; a3 = a3 * m + c; a4 = a4 * m + c; a5 = a5 * m + c;
            a6 = a6 * m + c; a7 = a7 * m + c; a8 = a8 * m + c; a9 = a9 * m + c; a10 = a10 * m + c; a11 = a11 * m + c;
        }

        return Vector.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }
}
