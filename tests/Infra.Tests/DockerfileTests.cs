using System.Text.Json;
using System.Text.RegularExpressions;
using BertPlatform.Infra.Tests.Templates;
using BertPlatform.TestSupport;

namespace BertPlatform.Infra.Tests;

/// <summary>
/// Docker is not available here, so the runner image's invariants are read from GpuRunner/Dockerfile: what the
/// build and the final stage are, who the process runs as, and what it starts.
/// </summary>
public class DockerfileTests
{
    private sealed record Instruction(string Keyword, string Arguments);

    private static readonly List<List<Instruction>> Stages = ReadStages();

    private static List<List<Instruction>> ReadStages()
    {
        var text = File.ReadAllText(Path.Combine(TestAssets.RepositoryRoot, "GpuRunner", "Dockerfile"));
        // Join continuation lines, drop comments, split into stages at each FROM.
        var logical = Regex.Replace(text, @"\\\r?\n", " ").Split('\n')
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => { var parts = l.Split(' ', 2); return new Instruction(parts[0].ToUpperInvariant(), parts.Length > 1 ? parts[1].Trim() : ""); });
        var stages = new List<List<Instruction>>();
        foreach (var instruction in logical)
        {
            if (instruction.Keyword == "FROM") stages.Add([]);
            stages[^1].Add(instruction);
        }
        return stages;
    }

    private static List<Instruction> Final => Stages[^1];

    [Fact]
    public void The_build_stage_publishes_the_runner_with_cuda_torchsharp()
    {
        var build = Stages.Single(s => s[0].Arguments.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0 ", StringComparison.Ordinal));
        var publish = Assert.Single(build, i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet publish"));
        Assert.Contains("GpuRunner/GpuRunner.csproj", publish.Arguments);
        Assert.Contains("-p:TorchSharpFlavor=cuda", publish.Arguments);
        Assert.Contains("-c Release", publish.Arguments);
        // The csproj really switches packages on that property.
        var project = File.ReadAllText(Path.Combine(TestAssets.RepositoryRoot, "GpuRunner", "GpuRunner.csproj"));
        Assert.Contains("<PackageReference Include=\"TorchSharp-cuda-linux\" Condition=\"'$(TorchSharpFlavor)' == 'cuda'\" />", project);
    }

    [Fact]
    public void The_final_stage_is_ubuntu_24_04_cuda_with_the_dotnet_10_runtime()
    {
        Assert.Matches(@"^nvidia/cuda:12\.8\.\d+-(cudnn-)?runtime-ubuntu24\.04( AS \w+)?$", Final[0].Arguments);
        var runtimeStage = Stages.Single(s => s[0].Arguments.StartsWith("mcr.microsoft.com/dotnet/runtime:10.0-noble", StringComparison.Ordinal));
        var alias = runtimeStage[0].Arguments.Split(" AS ")[1];
        Assert.Contains(Final, i => i.Keyword == "COPY" && i.Arguments == $"--from={alias} /usr/share/dotnet /usr/share/dotnet");
        var buildAlias = Stages[0][0].Arguments.Split(" AS ")[1];
        Assert.Contains(Final, i => i.Keyword == "COPY" && i.Arguments == $"--from={buildAlias} /app /app");
    }

    [Fact]
    public void The_runner_runs_as_a_non_root_user_that_owns_its_work_directory()
    {
        var users = Final.Where(i => i.Keyword == "USER").ToList();
        Assert.NotEmpty(users);
        var user = users[^1].Arguments.Split(':')[0];
        Assert.DoesNotMatch("^(root|0)$", user);
        // The application and the entrypoint come after the switch, so nothing of the runner starts as root.
        Assert.True(Final.IndexOf(users[^1]) < Final.FindIndex(i => i.Keyword == "ENTRYPOINT"));
        var created = Assert.Single(Final, i => i.Keyword == "RUN" && i.Arguments.Contains("useradd"));
        Assert.Contains($"--uid {user}", created.Arguments);
        // The template's Runner__WorkDirectory is a folder the image creates and gives to that user.
        var workDirectory = DeployedSettings.GpuRunner(CompiledTemplate.Main).Single(s => s.Name == "Runner__WorkDirectory").Value;
        Assert.Contains($"mkdir -p {workDirectory}", created.Arguments);
        Assert.Contains("chown -R runner:runner /work", created.Arguments);
        Assert.StartsWith("/work/", workDirectory);
    }

    [Fact]
    public void The_entrypoint_takes_one_job_and_stops_on_sigterm()
    {
        Assert.Equal("SIGTERM", Assert.Single(Final, i => i.Keyword == "STOPSIGNAL").Arguments);
        var entrypoint = JsonSerializer.Deserialize<string[]>(Assert.Single(Final, i => i.Keyword == "ENTRYPOINT").Arguments)!;
        // Exec form: the runner is PID 1 and receives SIGTERM itself (a shell would swallow it).
        Assert.Equal(["dotnet", "/app/GpuRunner.dll", "worker", "--once"], entrypoint);
    }

    [Fact]
    public void The_build_context_leaves_out_build_outputs_and_unrelated_projects()
    {
        var ignored = File.ReadAllLines(Path.Combine(TestAssets.RepositoryRoot, ".dockerignore"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
        Assert.Contains(".git/", ignored);
        Assert.DoesNotContain(ignored, l => l.StartsWith('!'));
        // Everything the build stage copies stays in the context.
        foreach (var copied in new[] { "Shared/", "GpuRunner/", "build/", "Directory.Packages.props", ".editorconfig" })
            Assert.DoesNotContain(copied, ignored);
    }
}
