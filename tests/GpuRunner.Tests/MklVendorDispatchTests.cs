using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using BertPlatform.GpuRunner.Modeling;

namespace BertPlatform.GpuRunner.Tests;

/// <summary>MKL's vendor answer, as libtorch's own code reads it back after the runner chose its kernels.</summary>
public sealed class MklVendorDispatchTests
{
    [Fact]
    public void After_the_runner_chose_MKL_answers_yes_to_its_vendor_check_on_any_AVX2_FMA_x86_host()
    {
        var outcome = MklVendorDispatch.ChooseKernelsByInstructionSet();
        var vendor = MklVendorDispatch.CpuVendor();
        Assert.NotNull(vendor); // the runner's CPU image and this machine are x86-64
        Assert.True(Avx2.IsSupported && Fma.IsSupported, "this test expects an AVX2 + FMA host, like the runner's");
        if (vendor != "GenuineIntel")
            Assert.Equal($"by instruction set on {vendor} (MKL's vendor check answered yes)", outcome);
        Assert.Equal(1, AskMkl());
    }

    [Fact]
    public void The_bundled_MKL_has_the_code_shape_the_runner_relies_on()
    {
        var (address, problem) = MklVendorDispatch.LocateVendorAnswer();
        Assert.Null(problem);
        Assert.NotEqual(0, address);
        Assert.Equal(1, Marshal.ReadInt32(address)); // the module initializer already chose, as the runner does
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
