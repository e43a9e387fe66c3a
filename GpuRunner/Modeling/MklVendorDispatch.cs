using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Text;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>
/// Lets libtorch's bundled oneMKL choose its matrix kernels by instruction set alone on non-Intel x86 CPUs.
/// <para>
/// oneMKL asks one question before it picks its tuned AVX2 / AVX-512 sgemm kernels: does cpuid say GenuineIntel? On an
/// AMD EPYC, whose AVX2 and FMA units run those kernels just as well, the answer is no and MKL takes a slower path:
/// nn.functional.linear at BERT's shapes (4096 tokens) did 59–76 GFLOP per CPU-second there, against 81–97 with the
/// question answered yes, and Debian's OpenBLAS did 65–88 (AMD EPYC, 2 vCPU, alternated runs in one session). Matrix
/// products are nearly all of a BERT step, so this is the difference between trailing and leading PyTorch on AMD.
/// </para>
/// <para>
/// MKL keeps the answer in a private static that <c>mkl_serv_intel_cpu_true()</c> fills on its first call (a negative
/// value means "not asked yet"). The runner writes 1 there before the first tensor operation, the same effect as the
/// well-known <c>LD_PRELOAD</c> shim that returns 1 from that function, but decided inside the process, only on a host
/// that needs it, and with no native file to ship. It does so only when the function's code is exactly the shape this
/// relies on (load the static, return it when not negative) and the static lies in a writable data mapping; with any
/// other MKL build it leaves MKL alone and says why. Intel hosts, CPUs without AVX2 and FMA, and a
/// <c>BERT_MKL_VENDOR_CHECK=keep</c> environment are left alone too.
/// </para>
/// </summary>
public static class MklVendorDispatch
{
    public const string OptOutVariable = "BERT_MKL_VENDOR_CHECK";

    private const string Library = "libtorch_cpu.so";
    private const string Function = "mkl_serv_intel_cpu_true";

    // mov eax, [rip + disp32]; test eax, eax; js +1; ret
    private static readonly byte?[] ExpectedCode = [0x8B, 0x05, null, null, null, null, 0x85, 0xC0, 0x78, 0x01, 0xC3];

    private static readonly Lock Gate = new();
    private static string? outcome;

    /// <summary>What was decided, once per process (later calls return the first answer); for logs and <c>bench</c>.</summary>
    public static string ChooseKernelsByInstructionSet()
    {
        lock (Gate) return outcome ??= Decide();
    }

    /// <summary>The CPU's vendor string from cpuid leaf 0 (e.g. AuthenticAMD), or null off x86.</summary>
    public static string? CpuVendor()
    {
        if (!X86Base.IsSupported) return null;
        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        Span<byte> vendor = stackalloc byte[12];
        BitConverter.TryWriteBytes(vendor[..4], ebx);
        BitConverter.TryWriteBytes(vendor[4..8], edx);
        BitConverter.TryWriteBytes(vendor[8..], ecx);
        return Encoding.ASCII.GetString(vendor);
    }

    /// <summary>The address of MKL's cached vendor answer in the loaded libtorch, or null with the reason.</summary>
    public static (nint Address, string? Problem) LocateVendorAnswer()
    {
        // The name matches the soname of the copy TorchSharp already loaded, so this returns that copy, not another.
        _ = TorchSharp.torch.get_num_threads();
        if (!NativeLibrary.TryLoad(Library, out var library)) return (0, $"{Library} is not loaded");
        if (!NativeLibrary.TryGetExport(library, Function, out var function)) return (0, $"{Library} has no {Function} (no MKL in this build)");
        var code = new byte[ExpectedCode.Length];
        Marshal.Copy(function, code, 0, code.Length);
        for (var i = 0; i < code.Length; i++)
            if (ExpectedCode[i] is { } expected && code[i] != expected)
                return (0, $"{Function} is not the code this relies on ({Convert.ToHexString(code)}); another MKL build");
        var address = function + 6 + BitConverter.ToInt32(code, 2);
        return WritableData(address) ? (address, null) : (0, $"the answer {Function} caches is not in writable data");
    }

    private static string Decide()
    {
        if (!OperatingSystem.IsLinux()) return "left to MKL (not Linux)";
        var vendor = CpuVendor();
        if (vendor is null) return "left to MKL (not x86)";
        if (vendor == "GenuineIntel") return "left to MKL (Intel CPU)";
        if (!Avx2.IsSupported || !Fma.IsSupported) return $"left to MKL ({vendor} without AVX2 and FMA)";
        if (string.Equals(Environment.GetEnvironmentVariable(OptOutVariable), "keep", StringComparison.OrdinalIgnoreCase))
            return $"left to MKL ({OptOutVariable}=keep)";
        var (address, problem) = LocateVendorAnswer();
        if (problem is not null) return $"left to MKL ({problem})";
        Marshal.WriteInt32(address, 1);
        return $"by instruction set on {vendor} (MKL's vendor check answered yes)";
    }

    /// <summary>Whether /proc/self/maps has <paramref name="address"/> in a readable, writable mapping.</summary>
    private static bool WritableData(nint address)
    {
        var target = (ulong)address;
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var dash = line.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0 || space < dash) continue;
            var start = ulong.Parse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var end = ulong.Parse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (target >= start && target + sizeof(int) <= end) return line.AsSpan(space + 1, 2).SequenceEqual("rw");
        }
        return false;
    }
}
