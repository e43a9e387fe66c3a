using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>
/// The math-library settings the runner makes itself for CPU work. libtorch sizes its intra-op pool from the physical
/// cores it detects, which on a VM with SMT siblings is half the vCPUs the container may use; the runner gives it every
/// vCPU (as the PyTorch anchor does with torch.set_num_threads(os.cpu_count())). The fused optimizer already spreads
/// over <see cref="Environment.ProcessorCount"/>.
/// </summary>
public static class CpuThreads
{
    public static void UseAllCores()
    {
        if (get_num_threads() != Environment.ProcessorCount) set_num_threads(Environment.ProcessorCount);
    }
}
