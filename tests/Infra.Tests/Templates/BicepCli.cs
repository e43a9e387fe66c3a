using System.Diagnostics;
using System.Reflection;

namespace BertPlatform.Infra.Tests.Templates;

/// <summary>The Bicep CLI restored from NuGet (Azure.Bicep.CommandLine.linux-x64); its path is baked in at build time.</summary>
public static class BicepCli
{
    /// <param name="Output">The compiled template (build) or nothing (lint).</param>
    /// <param name="Diagnostics">Everything else the CLI said: warnings, errors, lint findings.</param>
    public sealed record Result(int ExitCode, string Output, string Diagnostics);

    private static readonly Lazy<string> path = new(Locate);

    public static string InfraDirectory => Path.Combine(TestSupport.TestAssets.RepositoryRoot, "infra");

    public static Result Build(string bicepFile)
    {
        var (exitCode, stdout, stderr) = Run("build", bicepFile, "--stdout");
        return new Result(exitCode, stdout, stderr.Trim());
    }

    public static Result Lint(string bicepFile)
    {
        var (exitCode, stdout, stderr) = Run("lint", bicepFile);
        return new Result(exitCode, "", (stdout + stderr).Trim());
    }

    private static (int ExitCode, string StandardOutput, string StandardError) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(path.Value)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = InfraDirectory,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // No telemetry and no update checks: the CLI must behave the same offline.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {path.Value}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} ran for more than 3 minutes.");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string Locate()
    {
        var configured = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "BicepPath").Value;
        if (string.IsNullOrEmpty(configured) || !File.Exists(configured))
            throw new FileNotFoundException(
                $"The Bicep CLI from the Azure.Bicep.CommandLine.linux-x64 package was not found at '{configured}'; run dotnet restore.");
        // NuGet extracts files without the execute bit on some systems. (The package is the linux-x64 CLI.)
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("Infra.Tests run the linux-x64 Bicep CLI.");
        var mode = File.GetUnixFileMode(configured);
        const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if ((mode & UnixFileMode.UserExecute) == 0) File.SetUnixFileMode(configured, mode | execute);
        return configured;
    }
}
