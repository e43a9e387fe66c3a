using System.Text.Json;
using BertPlatform.Infra.Tests.Templates;
using BertPlatform.TestSupport;

namespace BertPlatform.Infra.Tests;

/// <summary>
/// Docker is not available here, so the runner image's invariants are read from GpuRunner/Dockerfile: what the
/// build and the final stage are, how its layers cache, who the process runs as, and what it starts. Whether the
/// runner starts on the .NET the image holds is Runtime/RunnerRuntimeTests.
/// </summary>
public class DockerfileTests
{
    private static readonly Dockerfile File = Dockerfile.Runner;

    private static IReadOnlyList<Dockerfile.Instruction> Final => File.Final.Instructions;

    private static Dockerfile.Stage Build => File.StageNamed("build");

    [Fact]
    public void The_build_stage_publishes_the_runner_with_cuda_torchsharp()
    {
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", Build.Image);
        var publish = Assert.Single(Build.Instructions, i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet publish"));
        Assert.Contains("GpuRunner/GpuRunner.csproj", publish.Arguments);
        Assert.Contains("-p:TorchSharpFlavor=cuda", publish.Arguments);
        Assert.Contains("-c Release", publish.Arguments);
        // The csproj really switches packages on that property.
        var project = System.IO.File.ReadAllText(Path.Combine(TestAssets.RepositoryRoot, "GpuRunner", "GpuRunner.csproj"));
        Assert.Contains("<PackageReference Include=\"TorchSharp-cuda-linux\" Condition=\"'$(TorchSharpFlavor)' == 'cuda'\" />", project);
    }

    [Fact]
    public void The_multi_gigabyte_restore_is_cached_apart_from_the_sources()
    {
        var instructions = Build.Instructions.ToList();
        var restore = instructions.FindIndex(i => i.Keyword == "RUN" && i.Arguments.StartsWith("dotnet restore", StringComparison.Ordinal));
        var publish = instructions.FindIndex(i => i.Keyword == "RUN" && i.Arguments.StartsWith("dotnet publish", StringComparison.Ordinal));
        Assert.True(restore > 0 && publish > restore, "restore must come before publish");
        // Before the restore only project and build files are copied, so a code change does not re-download libtorch.
        var copiedBefore = instructions.Take(restore).Where(i => i.Keyword == "COPY").SelectMany(i => i.Arguments.Split(' ')[..^1]).ToList();
        Assert.All(copiedBefore, path => Assert.Matches(@"^(global\.json|\.editorconfig|Directory\.(Build|Packages)\.(props|targets)|build/|\w+/\w+\.csproj)$", path));
        Assert.Contains("Shared/Shared.csproj", copiedBefore);
        Assert.Contains("GpuRunner/GpuRunner.csproj", copiedBefore);
        Assert.Contains(instructions.Skip(restore), i => i.Keyword == "COPY" && i.Arguments == "GpuRunner/ GpuRunner/");
        // The publish uses that restore, for the same runtime and flavour.
        Assert.Contains("--no-restore", instructions[publish].Arguments);
        foreach (var option in new[] { "-r linux-x64", "-p:TorchSharpFlavor=cuda", "-p:SelfContained=false" })
        {
            Assert.Contains(option, instructions[restore].Arguments);
            Assert.Contains(option, instructions[publish].Arguments);
        }
    }

    [Fact]
    public void Native_libraries_are_a_layer_of_their_own_below_the_runners_assemblies()
    {
        var publish = Assert.Single(Build.Instructions, i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet publish"));
        Assert.Contains("-name '*.so*' -exec mv -t /native", publish.Arguments);
        var copies = Final.Where(i => i.Keyword == "COPY" && i.Arguments.StartsWith("--from=build", StringComparison.Ordinal)).Select(i => i.Arguments).ToList();
        Assert.Equal(["--from=build /native/ /app/", "--from=build /app /app"], copies);
    }

    [Fact]
    public void The_final_stage_is_cuda_12_8_on_ubuntu_24_04_with_the_dotnet_10_base_runtime()
    {
        // CUDA 12.8: what TorchSharp's libtorch-cuda-12.8 package is built for; 24.04 has GLIBCXX 3.4.32.
        Assert.Matches(@"^nvidia/cuda:12\.8\.\d+-(cudnn-)?runtime-ubuntu24\.04$", File.Final.Image);
        var dotnet = File.SourceOf("/usr/share/dotnet");
        Assert.Equal("mcr.microsoft.com/dotnet/runtime:10.0-noble", dotnet.Image);
        Assert.Contains(Final, i => i.Keyword == "COPY" && i.Arguments == $"--from={dotnet.Alias} /usr/share/dotnet /usr/share/dotnet");
    }

    [Fact]
    public void The_image_size_is_documented()
    {
        Assert.Matches(@"# Size \(uncompressed[^)]*\): .*GB", File.Text);
    }

    [Fact]
    public void The_runner_runs_as_a_non_root_user_that_owns_its_work_directory()
    {
        var users = Final.Where(i => i.Keyword == "USER").ToList();
        Assert.NotEmpty(users);
        var user = users[^1].Arguments.Split(':')[0];
        Assert.DoesNotMatch("^(root|0)$", user);
        // The application and the entrypoint come after the switch, so nothing of the runner starts as root.
        var final = Final.ToList();
        Assert.True(final.IndexOf(users[^1]) < final.FindIndex(i => i.Keyword == "ENTRYPOINT"));
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
        var ignored = System.IO.File.ReadAllLines(Path.Combine(TestAssets.RepositoryRoot, ".dockerignore"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
        Assert.Contains(".git/", ignored);
        Assert.DoesNotContain(ignored, l => l.StartsWith('!'));
        // Everything the build stage copies stays in the context.
        foreach (var copied in new[] { "Shared/", "GpuRunner/", "build/", "Directory.Packages.props", ".editorconfig", "global.json" })
            Assert.DoesNotContain(copied, ignored);
    }
}
