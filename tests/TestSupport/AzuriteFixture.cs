using System.Diagnostics;
using System.Text;
using Xunit;

namespace BertPlatform.TestSupport;

/// <summary>
/// A real Azurite (blob, queue, table) for one test run: the pinned copy from the repository's
/// <c>node_modules</c> (<c>npm ci</c>), on free loopback ports, in memory, killed on dispose.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime, IDisposable
{
    /// <summary>Azurite's well-known development account key (public, documented by Microsoft).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    public const string AccountName = "devstoreaccount1";

    private readonly StringBuilder output = new();
    private Process? process;
    private string? location;

    public int BlobPort { get; } = FreePorts.Next();
    public int QueuePort { get; } = FreePorts.Next();
    public int TablePort { get; } = FreePorts.Next();

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};";

    /// <summary>How long Azurite may take to listen before the run fails.</summary>
    /// <summary>CPU time Azurite has used so far (user and system), for tests that report what a step costs.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            if (process is null) return TimeSpan.Zero;
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    public static readonly TimeSpan StartupPatience = TimeSpan.FromMinutes(3);

    public static string Executable => Path.Combine(TestAssets.RepositoryRoot, "node_modules", ".bin", "azurite");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Executable))
            throw new FileNotFoundException($"Azurite is not installed at {Executable}; run 'npm ci' in the repository root (test.sh does).");
        location = Directory.CreateTempSubdirectory("azurite-").FullName;
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // In memory, Azurite writes nothing; the scratch folder catches anything it might still drop in its working directory.
            WorkingDirectory = location,
        };
        foreach (var argument in new[]
                 {
                     "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(),
                     "--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString(),
                     "--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(),
                     "--inMemoryPersistence",
                     "--skipApiVersionCheck", "--loose", "--silent",
                 })
            start.ArgumentList.Add(argument);
        process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        process.OutputDataReceived += (_, e) => Capture(e.Data);
        process.ErrorDataReceived += (_, e) => Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // Node takes seconds to load Azurite on an idle machine and far longer when the cores are busy (a second test
        // run, a build): wait generously, and name the service and what it printed if it never answers.
        foreach (var (service, port) in new[] { ("blob", BlobPort), ("queue", QueuePort), ("table", TablePort) })
            await FreePorts.WaitUntilListeningAsync(port, StartupPatience, () => $"Azurite's {service} service ({Executable}) did not answer. {Describe()}",
                () => process.HasExited);
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        process?.Dispose();
        process = null;
        if (location is not null && Directory.Exists(location)) Directory.Delete(location, recursive: true);
        location = null;
    }

    private void Capture(string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }

    private string Describe()
    {
        lock (output)
            return process is { HasExited: true } ? $"Azurite exited with {process.ExitCode}: {output}" : $"Azurite output so far: {output}";
    }
}
