using System.Diagnostics;
using System.Globalization;

namespace Gdm.Bench;

/// <summary>
/// How busy the machine is apart from the bench: the 1-minute load average, and the cores that other processes
/// used while a figure was measured (all CPU time of /proc/stat minus this process's, over the wall time). Linux
/// only; elsewhere both are unknown (NaN). A figure measured while others used a noticeable share of the cores
/// is distorted by them, and so is any ratio built on it.
/// </summary>
public sealed class MachineLoad
{
    /// <summary>Cores taken by other processes above which a figure is called busy.</summary>
    public const double BusyOtherCores = 0.25;

    private readonly long _busyTicks;
    private readonly TimeSpan _ownCpu;
    private readonly long _started;

    private MachineLoad()
    {
        _busyTicks = BusyTicks();
        _ownCpu = Process.GetCurrentProcess().TotalProcessorTime;
        _started = Stopwatch.GetTimestamp();
    }

    /// <summary>Starts measuring the other processes' CPU use from now.</summary>
    public static MachineLoad Start() => new();

    /// <summary>Cores used by other processes since Start (0 when quiet, up to the core count).</summary>
    public double OtherCores()
    {
        var wall = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        var busyTicks = BusyTicks();
        if (busyTicks < 0 || _busyTicks < 0 || wall <= 0)
            return double.NaN;
        var all = (busyTicks - _busyTicks) / 100.0; // USER_HZ, 100 on every Linux ABI
        var own = (Process.GetCurrentProcess().TotalProcessorTime - _ownCpu).TotalSeconds;
        return Math.Max(0, (all - own) / wall);
    }

    /// <summary>The 1-minute load average (runnable and waiting tasks, this process's threads included).</summary>
    public static double LoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return double.NaN;
        }
        catch (UnauthorizedAccessException)
        {
            return double.NaN;
        }
    }

    // user + nice + system + irq + softirq + steal of the "cpu" line, in USER_HZ ticks; -1 where unreadable.
    private static long BusyTicks()
    {
        try
        {
            using var reader = new StreamReader("/proc/stat");
            var fields = reader.ReadLine()!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long Field(int i) => long.Parse(fields[i], CultureInfo.InvariantCulture);
            return Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8);
        }
        catch (IOException)
        {
            return -1;
        }
        catch (UnauthorizedAccessException)
        {
            return -1;
        }
    }
}
