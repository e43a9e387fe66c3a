using System.Diagnostics;
using System.Reflection;

namespace BertPlatform.Infra.Tests.Templates;

/// <summary>
/// The Bicep CLI restored from NuGet (Azure.Bicep.CommandLine.linux-x64; its path is baked in at build time), run
/// once per test run for all of infra/: one <c>bicep build --pattern</c> and one <c>bicep lint --pattern</c>,
/// whose results every test shares.
/// </summary>
public static class BicepCli
{
    /// <summary>One CLI run over every .bicep file.</summary>
    /// <param name="Compiled">Relative .bicep path → its ARM JSON (build only).</param>
    /// <param name="Diagnostics">Everything the CLI said: warnings, errors, lint findings, one per line.</param>
    public sealed record Run(int ExitCode, IReadOnlyDictionary<string, string> Compiled, IReadOnlyList<string> Diagnostics)
    {
        /// <summary>The diagnostics about one file (the CLI starts each with the file's full path).</summary>
        public IReadOnlyList<string> About(string relativePath)
        {
            var full = Path.Combine(InfraDirectory, relativePath);
            return Diagnostics.Where(d => d.StartsWith(full + "(", StringComparison.Ordinal)).ToList();
        }

        /// <summary>Diagnostics that name no file (a CLI failure rather than a finding).</summary>
        public IReadOnlyList<string> Unattributed =>
            Diagnostics.Where(d => !d.StartsWith(InfraDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal)).ToList();
    }

    private const string Pattern = "**/*.bicep";

    private static readonly Lazy<string> path = new(Locate);
    private static readonly Lazy<Run> build = new(BuildAllOnce);
    private static readonly Lazy<Run> lint = new(() =>
    {
        var (exitCode, stdout, stderr) = Execute("lint", "--pattern", Pattern);
        return new Run(exitCode, new Dictionary<string, string>(), Lines(stdout + "\n" + stderr));
    });

    public static string InfraDirectory => Path.Combine(TestSupport.TestAssets.RepositoryRoot, "infra");

    /// <summary><c>bicep build</c> of every file, run the first time a test asks.</summary>
    public static Run BuildAll => build.Value;

    /// <summary><c>bicep lint</c> of every file, run the first time a test asks.</summary>
    public static Run LintAll => lint.Value;

    private static Run BuildAllOnce()
    {
        var output = Directory.CreateTempSubdirectory("bicep-build-");
        try
        {
            var (exitCode, stdout, stderr) = Execute("build", "--pattern", Pattern, "--outdir", output.FullName);
            var compiled = Directory.EnumerateFiles(output.FullName, "*.json", SearchOption.AllDirectories).ToDictionary(
                json => Path.ChangeExtension(Path.GetRelativePath(output.FullName, json), ".bicep"), File.ReadAllText);
            return new Run(exitCode, compiled, Lines(stdout + "\n" + stderr));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    private static List<string> Lines(string text) =>
        text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();

    private static (int ExitCode, string StandardOutput, string StandardError) Execute(params string[] arguments)
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
