using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>Raw access to a CPU tensor's float32 storage, for the loops that run faster in C# than as tensor operations.</summary>
public static class TensorStorage
{
    /// <summary>The first element of a contiguous float32 CPU tensor; valid while the tensor is alive.</summary>
    public static unsafe float* Floats(Tensor tensor)
    {
        if (tensor.device_type != DeviceType.CPU || tensor.dtype != ScalarType.Float32 || !tensor.is_contiguous())
            throw new ArgumentException(
                $"Expected a contiguous float32 CPU tensor; got {tensor.dtype} on {tensor.device_type}{(tensor.is_contiguous() ? "" : ", not contiguous")}.",
                nameof(tensor));
        var pointer = THSTensor_data(tensor.Handle);
        if (pointer == IntPtr.Zero && tensor.numel() > 0) throw new InvalidOperationException("libtorch returned no storage for a CPU tensor.");
        return (float*)pointer;
    }

    // TorchSharp reads tensor storage through this export of its native library (TensorAccessor does the same).
    [DllImport("LibTorchSharp")]
    private static extern IntPtr THSTensor_data(IntPtr handle);
}
