using System.Diagnostics;
using System.Text;

namespace BertPlatform.TestSupport;

/// <summary>
/// A project's built executable run as a real child process (a runner that a test kills, a host whose memory a
/// harness measures), with its output captured for failure messages. Killed on dispose.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private ChildProcess(Process process) => this.process = process;

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public string Output
    {
        get { lock (output) return output.ToString(); }
    }

    /// <summary>
    /// Runs <c>dotnet {project}/bin/{Configuration}/net10.0/{assembly}.dll</c> with the given arguments and environment,
    /// in <paramref name="workingDirectory"/> when given (else the test's own).
    /// </summary>
    public static ChildProcess StartDotnet(string projectDirectory, string assemblyName, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string> environment, string? workingDirectory = null)
    {
        var dll = Path.Combine(TestAssets.RepositoryRoot, projectDirectory, "bin", BuildConfiguration, "net10.0", assemblyName + ".dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"{dll} is not built; build {projectDirectory} in {BuildConfiguration} first.");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        var child = new ChildProcess(Process.Start(start) ?? throw new InvalidOperationException($"{dll} did not start."));
        child.process.OutputDataReceived += (_, e) => child.Capture(e.Data);
        child.process.ErrorDataReceived += (_, e) => child.Capture(e.Data);
        child.process.BeginOutputReadLine();
        child.process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Debug or Release: whichever this test assembly was built in, so children match it.</summary>
    public static string BuildConfiguration { get; } =
        AppContext.BaseDirectory.Split(Path.DirectorySeparatorChar).Contains("Release") ? "Release" : "Debug";

    /// <summary>SIGKILL: no chance to clean up, like a preempted machine.</summary>
    public void Kill()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit(10_000);
    }

    /// <summary>SIGTERM, as Container Apps sends before stopping a replica.</summary>
    public void Terminate()
    {
        if (!process.HasExited) Process.Start("kill", ["-TERM", process.Id.ToString()])?.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        return process.ExitCode;
    }

    public void Dispose()
    {
        Kill();
        process.Dispose();
    }

    private void Capture(string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }
}
