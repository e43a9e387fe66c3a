namespace BertPlatform.Integration.Tests;

/// <summary>
/// This process's peak resident memory since a reset (Linux: writing 5 to /proc/self/clear_refs resets VmHWM), against
/// its resident memory at the reset. The local host and the runners run in the test process, so this is their memory
/// plus whatever the tests beside them allocate meanwhile: an upper bound.
/// </summary>
public sealed class PeakMemory
{
    private readonly long residentAtReset;

    private PeakMemory(long resident) => residentAtReset = resident;

    public static PeakMemory Reset()
    {
        File.WriteAllText("/proc/self/clear_refs", "5");
        return new PeakMemory(Kib("VmRSS"));
    }

    /// <summary>How far the peak rose above the memory at the reset, in MiB.</summary>
    public long GrowthMiB() => Math.Max(0, Kib("VmHWM") - residentAtReset) / 1024;

    private static long Kib(string key) =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith(key + ":", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
}
