using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>
/// How glibc's malloc, which allocates libtorch's CPU tensors, treats activations: reused in place during a pass, and
/// handed back to the system after an inference batch that made the heap grow.
/// <para>
/// By default glibc maps large blocks on their own and unmaps them on free (every block above 32 MB, smaller ones
/// until its threshold has adapted), and gives the heap's top back once a few dozen MB lie free there. A forward pass
/// allocates and frees the same few sizes layer after layer (mBERT on 32 × 128 tokens: 12.6 MB hidden states, a 50 MB
/// feed-forward activation), so each layer faulted fresh zeroed pages in again. <see cref="ReuseFreedPages"/> keeps
/// every block in the heap and its top in place, so a layer reuses the pages the layer before it freed.
/// </para>
/// <para>
/// A heap that only grows holds more than it uses, though: the holes activations leave do not line up from one batch
/// to the next, and mBERT at batch 32 went from 1.0 to 1.9 GB of anonymous memory over eight batches while 0.82 GB
/// were in use (glibc's <c>malloc_stats</c>). <see cref="ReleaseFreePages"/>, after each inference batch, gives the
/// free pages back whenever the heap has reached a size it never had before. Releasing after every batch would fault
/// each batch's working set in again, which cost a model of MiniLM's size 4–9% of its throughput; releasing on growth
/// only cost nothing measurable and held the same peak, since a heap that stopped growing reuses the same blocks.
/// Training does not call it: its activations are the same sizes every step, so its heap reaches a steady size.
/// </para>
/// <para>
/// Measured with <c>bench --inference</c> (AMD EPYC, 2 vCPU, alternated runs): mBERT at batch 32 × 128, glibc's
/// defaults 8.4–9.1 samples/s at 1.22–1.52 GB peak RSS, these settings 9.0–9.5 at 1.16–1.21 GB; 6 layers of width 384
/// over 40 batches, 66.1 samples/s at 535 MB against 69.6 at 404 MB. <c>BERT_NATIVE_HEAP=glibc</c> leaves malloc as
/// glibc sets it up and never releases.
/// </para>
/// </summary>
public static partial class NativeHeap
{
    public const string OptOutVariable = "BERT_NATIVE_HEAP";

    // mallopt parameters, from glibc's malloc.h.
    private const int TrimThreshold = -1;
    private const int MaximumMappedBlocks = -4;

    private static readonly bool LeftToGlibc = !OperatingSystem.IsLinux()
        || string.Equals(Environment.GetEnvironmentVariable(OptOutVariable), "glibc", StringComparison.OrdinalIgnoreCase);

    private static readonly Lazy<string> Setup = new(Configure);
    private static readonly Lock Gate = new();
    private static bool cannotRelease = LeftToGlibc;
    private static bool cannotMeasure;
    private static nuint largestHeap;

    /// <summary>
    /// Every block from the heap (none mapped on its own) and no automatic trimming of its top, from now on. Once per
    /// process, before the first model is built on the CPU; returns what was done, for logs and <c>bench</c>.
    /// </summary>
    public static string ReuseFreedPages() => Setup.Value;

    /// <summary>
    /// After an inference batch, when all of its activations are free: returns the heap's free pages to the system if
    /// the heap has grown beyond every size it had before. A no-op off the CPU and off glibc (e.g. musl).
    /// </summary>
    public static void ReleaseFreePages(Device device)
    {
        if (device.type != DeviceType.CPU || cannotRelease) return;
        lock (Gate)
        {
            if (!HeapReachedNewSize()) return;
            try
            {
                _ = MallocTrim(0);
            }
            catch (EntryPointNotFoundException)
            {
                cannotRelease = true;
            }
        }
    }

    private static string Configure()
    {
        if (LeftToGlibc) return "left to glibc";
        try
        {
            // Both settings also stop glibc's dynamic thresholds, which is the point: nothing moves them back.
            if (MallOpt(MaximumMappedBlocks, 0) == 0 || MallOpt(TrimThreshold, int.MaxValue) == 0) return "left to glibc (mallopt refused)";
            return "activations reused in the heap, free pages released after an inference batch that grew it";
        }
        catch (EntryPointNotFoundException)
        {
            cannotRelease = true;
            return "left to the C library (not glibc)";
        }
    }

    /// <summary>Whether the heap (glibc's <c>arena</c>: all memory it took from the system for blocks) is the largest yet; always yes where glibc cannot say (before 2.33).</summary>
    private static bool HeapReachedNewSize()
    {
        if (cannotMeasure) return true;
        try
        {
            var size = MallInfo2().Arena;
            if (size <= largestHeap) return false;
            largestHeap = size;
            return true;
        }
        catch (EntryPointNotFoundException)
        {
            cannotMeasure = true;
            return true;
        }
    }

    /// <summary>glibc's <c>struct mallinfo2</c>: ten size_t counters, the heap's size first.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct MallocStatistics
    {
        public readonly nuint Arena;
        private readonly nuint ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;
    }

    [LibraryImport("libc", EntryPoint = "mallinfo2")]
    private static partial MallocStatistics MallInfo2();

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int MallOpt(int parameter, int value);

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
