using System.Diagnostics;

namespace Gdm.Bench;

/// <summary>
/// How far apart the machine's cores are: two threads pass one counter back and forth through a shared cache line,
/// each waiting for the other's write. On the 2-vCPU reference VM a round trip takes 60-95 ns when the hypervisor puts
/// both vCPUs on one L3 cache and 320-400 ns when it puts them on two, and a session that splits each operator over
/// both threads runs the network about 1.2 times slower in the second placement; the figure tells which one a
/// network figure was taken in.
/// </summary>
public static class CacheRoundTrip
{
    /// <summary>Round trips above this many nanoseconds cross between L3 caches (the two placements measured 95 and 320 at their closest).</summary>
    public const double AcrossL3Nanoseconds = 200;

    /// <summary>The median over `repeats` runs of `roundTrips` each of one round trip's nanoseconds; NaN on a 1-core machine.</summary>
    public static double Measure(int roundTrips = 200_000, int repeats = 5)
    {
        if (Environment.ProcessorCount < 2)
            return double.NaN;
        var figures = new List<double>();
        Run(roundTrips / 10); // warm-up: JIT, both threads awake
        for (var r = 0; r < repeats; r++)
            figures.Add(Run(roundTrips));
        return Latencies.Percentile(figures, 50);
    }

    /// <summary>A round trip's nanoseconds named by the placement it shows.</summary>
    public static string Placement(double nanoseconds) =>
        double.IsNaN(nanoseconds) ? "one core"
        : nanoseconds > AcrossL3Nanoseconds ? "vCPUs on different L3 caches"
        : "vCPUs on one L3 cache";

    // The ping thread writes odd values and waits for the next even one; the pong thread answers each odd value with
    // +1. The clock starts after the first round trip, once the pong thread is surely running.
    private static double Run(int roundTrips)
    {
        var counter = new long[1]; // 8-byte aligned, so in one cache line
        var last = 2L * roundTrips + 1;
        var pong = new Thread(() =>
        {
            for (long expected = 1; expected <= last; expected += 2)
            {
                while (Volatile.Read(ref counter[0]) != expected)
                {
                }

                Volatile.Write(ref counter[0], expected + 1);
            }
        }) { IsBackground = true };
        pong.Start();
        var started = 0L;
        for (long value = 1; value <= last; value += 2)
        {
            Volatile.Write(ref counter[0], value);
            while (Volatile.Read(ref counter[0]) != value + 1)
            {
            }

            if (value == 1)
                started = Stopwatch.GetTimestamp();
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        pong.Join();
        return seconds * 1e9 / roundTrips;
    }
}
