using System.Globalization;

namespace DeviceTwins.Bench.Get;

/// <summary>CPU time from /proc: of one process, and of the whole machine, in seconds.</summary>
internal static class CpuMeter
{
    // USER_HZ: the unit of /proc's CPU times, 100 on every Linux this runs on.
    private const double TicksPerSecond = 100;

    /// <summary>User plus system CPU seconds <paramref name="pid"/> has used so far.</summary>
    public static double ProcessSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>Busy CPU seconds of the whole machine so far, summed over its cores (everything but idle and iowait).</summary>
    public static double MachineBusySeconds()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal [guest guest_nice, already counted in user and nice]
        return (fields[..8].Sum() - fields[3] - fields[4]) / TicksPerSecond;
    }
}
