using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>
/// The math-library settings the runner makes itself for CPU work. libtorch sizes its intra-op pool from the physical
/// cores it detects, which on a VM with SMT siblings is half the vCPUs the container may use; the runner gives it every
/// vCPU (as the PyTorch anchor does with torch.set_num_threads(os.cpu_count())). The fused optimizer already spreads
/// over <see cref="Environment.ProcessorCount"/>.
/// </summary>
public static partial class CpuThreads
{
    private const string WaitPolicy = "OMP_WAIT_POLICY";

    public static void UseAllCores()
    {
        if (get_num_threads() != Environment.ProcessorCount) set_num_threads(Environment.ProcessorCount);
    }

    /// <summary>
    /// Makes libtorch's OpenMP threads sleep, not spin, while they wait for work, unless the environment already says
    /// how they should wait. Spinning threads starve the ones with work wherever the vCPUs are shared (a CPU runner
    /// beside the local host and Azurite, a busy node): <c>batch-predict</c> ran at 26.7 inputs/s spinning and 103
    /// sleeping on 2 shared vCPUs, and a tiny training test took 2 min 26 s instead of 7 s. libgomp reads the variable
    /// once, when libtorch loads, so this must run before the first tensor; and .NET on Unix keeps its own copy of the
    /// environment, so only libc's setenv reaches libgomp.
    /// </summary>
    public static void WaitPassivelyUnlessConfigured()
    {
        if (!OperatingSystem.IsLinux() || GetEnv(WaitPolicy) != 0) return;
        if (SetEnv(WaitPolicy, "PASSIVE", overwrite: 0) != 0) throw new InvalidOperationException($"setenv({WaitPolicy}) failed.");
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint GetEnv(string name);
}
