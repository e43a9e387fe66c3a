using TorchSharp;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>Turns the runner's device setting (cpu, cuda, cuda:N, auto/null) into a torch device.</summary>
public static class Devices
{
    public static Device Resolve(string? name)
    {
        var requested = string.IsNullOrWhiteSpace(name) ? "auto" : name.Trim().ToLowerInvariant();
        if (requested == "cpu") return UseCpu();
        var cudaReady = TryInitializeDeviceType(DeviceType.CUDA) && cuda.is_available();
        if (requested == "auto") return cudaReady ? CUDA : UseCpu();
        if (requested == "cuda" || requested.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!cudaReady)
                throw new InvalidOperationException(
                    $"Device '{name}' was requested but CUDA is not available (no GPU, no driver, or a CPU-only TorchSharp build).");
            return device(requested);
        }
        throw new ArgumentException($"Unknown device '{name}'; expected cpu, cuda, cuda:N or auto.", nameof(name));
    }

    /// <summary>
    /// <see cref="Resolve"/> for a process that only runs inference (<c>bench --inference</c>, <c>predict</c>,
    /// <c>batch-predict</c>): on the CPU, activations are also kept in the heap (<see cref="NativeHeap"/>).
    /// </summary>
    public static Device ResolveForInference(string? name)
    {
        var device = Resolve(name);
        if (device.type == DeviceType.CPU) NativeHeap.ReuseFreedPages();
        return device;
    }

    /// <summary>Training or inference on the CPU gets the runner's CPU settings, before its first matrix product.</summary>
    private static Device UseCpu()
    {
        CpuThreads.UseAllCores();
        MklVendorDispatch.ChooseKernelsByInstructionSet();
        return CPU;
    }
}
