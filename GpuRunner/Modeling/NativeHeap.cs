using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>
/// How glibc's malloc, which allocates libtorch's CPU tensors, treats activations: reused in place during a pass, and
/// handed back to the system after inference batches that made the heap grow.
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
/// free pages back whenever the heap has grown by 64 MB since it last did. Releasing after every batch faults each
/// batch's working set in again, which cost a model of MiniLM's size 5–10% of its throughput; releasing in 64 MB steps
/// cost nothing measurable, for a peak about 50 MB above releasing every time.
/// </para>
/// <para>
/// Measured with <c>bench --inference</c> at batch 32 × 128 (AMD EPYC, 2 vCPU, alternated runs), glibc's defaults
/// against these settings: mBERT over 7 batches, 7.5–8.3 against 8.8–9.3 samples/s at 1.42–1.59 against 1.20–1.22 GB
/// peak RSS; 6 layers of width 384 over 32 batches, 58.5–64.1 against 62.7–69.8 samples/s at 506–546 against
/// 437–442 MiB. <c>BERT_NATIVE_HEAP=glibc</c> leaves malloc as glibc sets it up and never releases.
/// </para>
/// <para>
/// Only processes that run nothing but inference keep every block in the heap. A training step holds gigabytes at
/// once, in blocks that glibc's defaults map and unmap cheaply next to the step's work: mBERT training at batch 8 × 128
/// peaked at 4.81–5.25 GB with every block in the heap against 4.70 GB with glibc's defaults, at the same speed. Training
/// processes (the worker) keep glibc's defaults and still release after their evaluation and prediction batches.
/// </para>
/// </summary>
public static partial class NativeHeap
{
    public const string OptOutVariable = "BERT_NATIVE_HEAP";

    // mallopt parameters, from glibc's malloc.h.
    private const int TrimThreshold = -1;
    private const int MaximumMappedBlocks = -4;

    private const string NotGlibc = "left to the C library (not glibc)";

    /// <summary>Why the heap is left alone entirely, or null.</summary>
    private static readonly string? Untouched = !OperatingSystem.IsLinux() ? "left to the C library (not Linux)"
        : string.Equals(Environment.GetEnvironmentVariable(OptOutVariable), "glibc", StringComparison.OrdinalIgnoreCase) ? $"left to glibc ({OptOutVariable}=glibc)"
        : null;

    /// <summary>
    /// How much the heap must have grown since the last release before the next one. Even with every block reused the
    /// heap creeps up by 8–32 MB a batch (holes of the wrong size), so releasing on any growth released after nearly
    /// every batch; a few of mBERT's hidden states' worth keeps memory bounded at a fraction of the cost.
    /// </summary>
    public const long ReleaseStep = 64 << 20;

    private static readonly Lazy<string> Setup = new(Configure);
    private static readonly Lock Gate = new();
    private static bool cannotRelease = Untouched is not null;
    private static bool cannotMeasure;
    private static nuint heapAtLastRelease;

    /// <summary>
    /// Every block from the heap (none mapped on its own) and no automatic trimming of its top, from now on. Once per
    /// process that only runs inference, before its model is built on the CPU; returns what was done.
    /// </summary>
    public static string ReuseFreedPages() => Setup.Value;

    /// <summary>What this process does with its heap, for <c>bench</c>.</summary>
    public static string Policy => Untouched ?? (Setup.IsValueCreated ? Setup.Value
        : cannotRelease ? NotGlibc : "glibc's defaults; free pages released as inference batches grow the heap");

    /// <summary>
    /// After an inference batch, when all of its activations are free: returns the heap's free pages to the system if
    /// the heap has grown by <see cref="ReleaseStep"/> since the last release. A no-op off the CPU and off glibc (e.g. musl).
    /// </summary>
    public static void ReleaseFreePages(Device device)
    {
        if (device.type != DeviceType.CPU || cannotRelease) return;
        lock (Gate)
        {
            if (!HeapGrewByAStep()) return;
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
        if (Untouched is not null) return Untouched;
        try
        {
            // Both settings also stop glibc's dynamic thresholds, which is the point: nothing moves them back.
            if (MallOpt(MaximumMappedBlocks, 0) == 0 || MallOpt(TrimThreshold, int.MaxValue) == 0) return "left to glibc (mallopt refused)";
            return "activations reused in the heap; free pages released as inference batches grow it";
        }
        catch (EntryPointNotFoundException)
        {
            cannotRelease = true;
            return NotGlibc;
        }
    }

    /// <summary>
    /// Whether the heap (glibc's <c>arena</c>: all the memory it took from the system for blocks) has grown by a step
    /// since the last release; always yes where glibc cannot say (before 2.33).
    /// </summary>
    private static bool HeapGrewByAStep()
    {
        if (cannotMeasure) return true;
        try
        {
            var size = MallInfo2().Arena;
            if (size < heapAtLastRelease + (nuint)ReleaseStep) return false;
            heapAtLastRelease = size;
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
