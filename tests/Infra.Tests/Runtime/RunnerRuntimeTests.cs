using System.Text.Json.Nodes;
using BertPlatform.Infra.Tests.Templates;
using BertPlatform.TestSupport;

namespace BertPlatform.Infra.Tests.Runtime;

/// <summary>
/// The runner starts in its image: its build output runs real verbs on a .NET install holding exactly the shared
/// frameworks the Dockerfile's runtime stage copies in. (A runner that asked for a framework the image lacks never
/// takes a message, and KEDA would start a new GPU execution at every poll.)
/// </summary>
public sealed class RunnerRuntimeTests : IDisposable
{
    /// <summary>The shared frameworks each official .NET image holds under /usr/share/dotnet/shared.</summary>
    private static readonly Dictionary<string, string[]> FrameworksByImage = new()
    {
        ["mcr.microsoft.com/dotnet/runtime-deps"] = [],
        ["mcr.microsoft.com/dotnet/runtime"] = ["Microsoft.NETCore.App"],
        ["mcr.microsoft.com/dotnet/aspnet"] = ["Microsoft.NETCore.App", "Microsoft.AspNetCore.App"],
    };

    private static string RunnerDirectory => Path.Combine(TestAssets.RepositoryRoot, "GpuRunner", "bin", ChildProcess.BuildConfiguration, "net10.0");

    private static string FunctionsDirectory => Path.Combine(TestAssets.RepositoryRoot, "Functions", "bin", ChildProcess.BuildConfiguration, "net10.0");

    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("runner-runtime-");
    private readonly PrivateDotnetInstall install = PrivateDotnetInstall.WithFrameworks(RuntimeStageFrameworks());

    /// <summary>What the final stage's /usr/share/dotnet holds: the frameworks of the image it is copied from.</summary>
    private static string[] RuntimeStageFrameworks()
    {
        var dotnet = Dockerfile.Runner.SourceOf("/usr/share/dotnet");
        var repository = dotnet.Image.Split(':')[0];
        return FrameworksByImage.TryGetValue(repository, out var frameworks) ? frameworks
            : throw new InvalidOperationException($"The runtime stage copies .NET from {dotnet.Image}, whose frameworks this test does not know.");
    }

    [Fact]
    public void The_install_holds_only_the_runtime_stages_frameworks()
    {
        Assert.Equal(["Microsoft.NETCore.App"], RuntimeStageFrameworks());
        var listed = install.Run(work.FullName, "--list-runtimes");
        Assert.Equal(0, listed.ExitCode);
        var names = listed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]).Distinct().ToList();
        Assert.Equal(["Microsoft.NETCore.App"], names);
        Assert.All(listed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Contains(install.Root, line));
    }

    [Fact]
    public void The_runners_runtimeconfig_asks_only_for_the_base_runtime()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(RunnerDirectory, "GpuRunner.runtimeconfig.json")))!["runtimeOptions"]!;
        var frameworks = config["frameworks"]?.AsArray().Select(f => (string)f!["name"]!).ToList() ?? [(string)config["framework"]!["name"]!];
        Assert.Equal(["Microsoft.NETCore.App"], frameworks);
    }

    [Fact]
    public void An_app_that_needs_asp_net_core_does_not_start_there()
    {
        // The control: the install really lacks ASP.NET Core, so the runner passing below is not a host falling back
        // to the machine's full install. (The Functions app needs it; it is deployed to Functions, not this image.)
        var functions = install.Run(work.FullName, Path.Combine(FunctionsDirectory, "BertPlatform.Functions.dll"));
        Assert.NotEqual(0, functions.ExitCode);
        Assert.Contains("Microsoft.AspNetCore.App", functions.Output);
    }

    [Fact]
    public void The_runner_makes_a_model_and_predicts_with_it()
    {
        var runner = Path.Combine(RunnerDirectory, "GpuRunner.dll");
        var model = Path.Combine(work.FullName, "model");
        var made = install.Run(work.FullName, runner, "make-base-model", "--output", model,
            "--vocab", Path.Combine(TestAssets.TinyBert, "vocab.txt"), "--size", "tiny", "--seed", "7");
        Assert.True(made.ExitCode == 0, $"make-base-model exited {made.ExitCode}:\n{made.Output}");
        Assert.True(File.Exists(Path.Combine(model, "model.safetensors")), made.Output);

        var input = Path.Combine(work.FullName, "in.jsonl");
        var output = Path.Combine(work.FullName, "out.jsonl");
        File.WriteAllLines(input, ["""{"text": "Hello world"}""", """{"text": "the café", "text_pair": "in Paris"}"""]);
        var predicted = install.Run(work.FullName, runner, "predict", "--model", model, "--input", input, "--output", output, "--device", "cpu");
        Assert.True(predicted.ExitCode == 0, $"predict exited {predicted.ExitCode}:\n{predicted.Output}");
        var lines = File.ReadAllLines(output).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(2, lines.Count);
        // A BertForPreTraining base model: the next-sentence head's two logits, finite, for each line.
        Assert.All(lines, line => Assert.All(line["seq_relationship_logits"]!.AsArray(), v => Assert.True(float.IsFinite((float)v!))));
        Assert.All(lines, line => Assert.Equal(2, line["seq_relationship_logits"]!.AsArray().Count));
    }

    public void Dispose()
    {
        install.Dispose();
        try { work.Delete(recursive: true); } catch (IOException) { }
    }
}
