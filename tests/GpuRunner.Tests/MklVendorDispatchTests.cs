using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using BertPlatform.GpuRunner.Modeling;

namespace BertPlatform.GpuRunner.Tests;

/// <summary>MKL's vendor answer, as libtorch's own code reads it back after the runner chose its kernels.</summary>
public sealed class MklVendorDispatchTests
{
    [Fact]
    public void After_the_runner_chose_MKL_answers_yes_to_its_vendor_check_on_any_AVX2_FMA_x86_host_unless_the_operator_keeps_the_check()
    {
        var outcome = MklVendorDispatch.ChooseKernelsByInstructionSet();
        var vendor = MklVendorDispatch.CpuVendor();
        Assert.NotNull(vendor); // the runner's CPU image and this machine are x86-64
        Assert.True(Avx2.IsSupported && Fma.IsSupported, "this test expects an AVX2 + FMA host, like the runner's");
        var keep = string.Equals(Environment.GetEnvironmentVariable(MklVendorDispatch.OptOutVariable), "keep", StringComparison.OrdinalIgnoreCase);
        if (vendor == "GenuineIntel")
        {
            Assert.Equal("left to MKL (Intel CPU)", outcome);
            Assert.Equal(1, AskMkl());
        }
        else if (keep)
        {
            // The operator's opt-out: MKL keeps its own answer, no on this vendor.
            Assert.Equal($"left to MKL ({MklVendorDispatch.OptOutVariable}=keep)", outcome);
            Assert.Equal(0, AskMkl());
        }
        else
        {
            Assert.Equal($"by instruction set on {vendor} (MKL's vendor check answered yes)", outcome);
            Assert.Equal(1, AskMkl());
        }
    }

    [Fact]
    public void The_bundled_MKL_has_the_code_shape_the_runner_relies_on()
    {
        var (address, problem) = MklVendorDispatch.LocateVendorAnswer();
        Assert.Null(problem);
        Assert.NotEqual(0, address);
        // Asking fills the static where MKL has not asked yet; the static then holds exactly what MKL answers.
        var answer = AskMkl();
        Assert.Equal(answer, Marshal.ReadInt32(address));
        Assert.InRange(answer, 0, 1);
    }

    [Fact]
    public void Choosing_again_keeps_the_first_answer()
    {
        Assert.Same(MklVendorDispatch.ChooseKernelsByInstructionSet(), MklVendorDispatch.ChooseKernelsByInstructionSet());
    }

    /// <summary>Calls libtorch's <c>mkl_serv_intel_cpu_true()</c> itself, as MKL's dispatcher does.</summary>
    private static unsafe int AskMkl()
    {
        Assert.True(NativeLibrary.TryLoad("libtorch_cpu.so", out var library));
        var function = NativeLibrary.GetExport(library, "mkl_serv_intel_cpu_true");
        return ((delegate* unmanaged<int>)function)();
    }
}
