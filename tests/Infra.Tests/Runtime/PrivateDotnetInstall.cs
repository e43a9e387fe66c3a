using System.Diagnostics;
using System.Runtime.InteropServices;

namespace BertPlatform.Infra.Tests.Runtime;

/// <summary>
/// A .NET install in a temporary folder holding only the shared frameworks named, made from the install running
/// the tests: a copy of the <c>dotnet</c> host (a copy, not a link: the host finds its frameworks next to its real
/// path), <c>host/fxr</c>, and a link per framework version. Deleted on dispose.
/// </summary>
public sealed class PrivateDotnetInstall : IDisposable
{
    public sealed record Result(int ExitCode, string Output);

    private PrivateDotnetInstall(string root) => Root = root;

    public string Root { get; }

    public string Host => Path.Combine(Root, "dotnet");

    /// <summary>The install the tests run on: shared/Microsoft.NETCore.App/{version}/ is three levels below it.</summary>
    public static string CurrentRoot { get; } =
        Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));

    public static PrivateDotnetInstall WithFrameworks(IEnumerable<string> frameworks)
    {
        // The image is Linux, and so is the host layout copied here.
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("The runner's image runs Linux; so must this test.");
        var install = new PrivateDotnetInstall(Directory.CreateTempSubdirectory("dotnet-runtime-stage-").FullName);
        try
        {
            var host = Path.Combine(CurrentRoot, "dotnet");
            File.Copy(host, install.Host);
            File.SetUnixFileMode(install.Host, File.GetUnixFileMode(host));
            CopyDirectory(Path.Combine(CurrentRoot, "host", "fxr"), Path.Combine(install.Root, "host", "fxr"));
            foreach (var framework in frameworks)
            {
                var versions = Path.Combine(CurrentRoot, "shared", framework);
                if (!Directory.Exists(versions)) throw new DirectoryNotFoundException($"{CurrentRoot} has no {framework} to copy.");
                var target = Directory.CreateDirectory(Path.Combine(install.Root, "shared", framework)).FullName;
                foreach (var version in Directory.EnumerateDirectories(versions))
                    Directory.CreateSymbolicLink(Path.Combine(target, Path.GetFileName(version)), version);
            }
            return install;
        }
        catch
        {
            install.Dispose();
            throw;
        }
    }

    /// <summary>Runs the private host with DOTNET_ROOT pointing at it and no way to fall back to another install.</summary>
    public Result Run(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(Host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_ROOT"] = Root;
        start.Environment["DOTNET_ROOT_X64"] = Root;
        start.Environment["DOTNET_MULTILEVEL_LOOKUP"] = "0";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Host}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{string.Join(' ', arguments)} did not finish within 2 minutes.");
        }
        return new Result(process.ExitCode, stdout.Result + stderr.Result);
    }

    public void Dispose()
    {
        // Links are deleted as links: Directory.Delete does not follow them into the real install.
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        foreach (var directory in Directory.EnumerateDirectories(source)) CopyDirectory(directory, Path.Combine(target, Path.GetFileName(directory)));
    }
}
