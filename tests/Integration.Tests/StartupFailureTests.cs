using System.Net;
using BertPlatform.Shared.Configuration;
using BertPlatform.TestSupport;

namespace BertPlatform.Integration.Tests;

/// <summary>
/// The apps as a user starts them by hand: the built local Functions host and <c>GpuRunner worker</c> as child
/// processes, without the settings they need (one line naming them, a non-zero exit, no stack trace) and from a
/// working directory other than their own (the host still reads its appsettings.json).
/// </summary>
public sealed class StartupFailureTests : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private readonly AzuriteFixture azurite;

    public StartupFailureTests(AzuriteFixture azurite) => this.azurite = azurite;

    /// <summary>An empty value hides whatever the host's appsettings.json or the test's environment provides.</summary>
    private static readonly Dictionary<string, string> NoStorage = new()
    {
        ["Storage__ConnectionString"] = "", ["Storage__BlobServiceUri"] = "", ["Storage__TableServiceUri"] = "",
        ["JobQueue__Transport"] = "StorageQueue",
    };

    [Fact]
    public async Task The_local_host_without_storage_names_the_setting_in_one_line_and_exits_non_zero()
    {
        using var host = ChildProcess.StartDotnet("Functions/LocalHost", "BertPlatform.Functions.LocalHost", ["--urls", $"http://127.0.0.1:{FreePorts.Next()}"], NoStorage);
        var exit = await host.WaitForExitAsync(Patience);

        AssertOneLineNaming(host.Output, "Storage__ConnectionString", "The local Functions host");
        Assert.Equal(StartupCheck.ConfigurationExitCode, exit);
    }

    [Fact]
    public async Task The_worker_without_storage_names_the_setting_in_one_line_and_exits_non_zero()
    {
        using var runner = ChildProcess.StartDotnet("GpuRunner", "GpuRunner", ["worker"], NoStorage);
        var exit = await runner.WaitForExitAsync(Patience);

        AssertOneLineNaming(runner.Output, "Storage__ConnectionString", "The GPU runner");
        Assert.Equal(StartupCheck.ConfigurationExitCode, exit);
    }

    [Fact]
    public async Task The_worker_on_Service_Bus_names_every_missing_Azure_setting_in_one_line()
    {
        using var runner = ChildProcess.StartDotnet("GpuRunner", "GpuRunner", ["worker"],
            new Dictionary<string, string>(NoStorage) { ["JobQueue__Transport"] = "ServiceBus", ["JobQueue__ServiceBusNamespace"] = "" });
        var exit = await runner.WaitForExitAsync(Patience);

        AssertOneLineNaming(runner.Output, "JobQueue__ServiceBusNamespace", "The GPU runner");
        Assert.Contains("Storage__BlobServiceUri", runner.Output);
        Assert.NotEqual(0, exit);
    }

    [Fact]
    public async Task The_local_host_started_from_another_directory_reads_its_own_appsettings()
    {
        var elsewhere = Directory.CreateTempSubdirectory("host-cwd-").FullName;
        try
        {
            var port = FreePorts.Next();
            // Only the storage endpoint comes from the environment; the owner, queue and transport from appsettings.json.
            using var host = ChildProcess.StartDotnet("Functions/LocalHost", "BertPlatform.Functions.LocalHost", ["--urls", $"http://127.0.0.1:{port}"],
                new Dictionary<string, string> { ["Storage__ConnectionString"] = azurite.ConnectionString }, elsewhere);
            await FreePorts.WaitUntilListeningAsync(port, Patience, () => host.Output, () => host.HasExited);
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

            var response = await client.GetAsync("api/datasets");

            Assert.True(HttpStatusCode.OK == response.StatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{host.Output}");
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    private static void AssertOneLineNaming(string output, string setting, string app)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, "expected one line, got:\n" + output);
        Assert.Contains(setting, lines[0]);
        Assert.Contains(app, lines[0]);
        Assert.DoesNotContain(" at ", output);
    }
}
