using System.Runtime.InteropServices;
using BertPlatform.GpuRunner.Modeling;

namespace BertPlatform.GpuRunner.Tests;

/// <summary>The runner's OpenMP wait policy, read and written in the native environment, where libgomp reads it.</summary>
[Collection(nameof(MemoryTests))]   // alone: it changes this process's environment for a moment
public sealed class CpuThreadsTests
{
    private const string WaitPolicy = "OMP_WAIT_POLICY";

    [Fact]
    public void Threads_wait_passively_unless_the_environment_already_says_how()
    {
        var before = NativeValue();
        try
        {
            Assert.Equal(0, UnsetEnv(WaitPolicy));
            CpuThreads.WaitPassivelyUnlessConfigured();
            Assert.Equal("PASSIVE", NativeValue());

            Assert.Equal(0, SetEnv(WaitPolicy, "ACTIVE", 1));
            CpuThreads.WaitPassivelyUnlessConfigured();
            Assert.Equal("ACTIVE", NativeValue());
        }
        finally
        {
            if (before is null) UnsetEnv(WaitPolicy);
            else SetEnv(WaitPolicy, before, 1);
        }
    }

    private static string? NativeValue() => Marshal.PtrToStringUTF8(GetEnv(WaitPolicy));

    // Plain DllImport: on Unix a string marshals as UTF-8, and it needs no unsafe code in the test project.
    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnv(string name, string value, int overwrite);

    [DllImport("libc", EntryPoint = "unsetenv")]
    private static extern int UnsetEnv(string name);

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern nint GetEnv(string name);
}
