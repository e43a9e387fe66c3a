using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using BertPlatform.GpuRunner.Modeling;

namespace BertPlatform.GpuRunner.Tests;

/// <summary>
/// The golden-fixture comparisons must hold for the matrix kernels the runner itself uses on this host: MKL's choice is
/// made once per process, at the first product, so it is made here, the way <see cref="Devices"/> makes it for the runner.
/// </summary>
internal static class RunnerKernels
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "A test assembly: it must run before any test's first tensor operation.")]
    internal static void ChooseLikeTheRunner() => MklVendorDispatch.ChooseKernelsByInstructionSet();
}
