using System.Text.RegularExpressions;
using BertPlatform.Infra.Tests.Templates;
using BertPlatform.TestSupport;

namespace BertPlatform.Infra.Tests;

/// <summary>azure.yaml, the parameters file and the post-provision script agree with the template.</summary>
public class AzdTests
{
    private static string Read(string relativePath) => File.ReadAllText(Path.Combine(TestAssets.RepositoryRoot, relativePath));

    [Fact]
    public void Azure_yaml_deploys_the_functions_project_and_runs_the_image_script()
    {
        var azure = Read("azure.yaml");
        Assert.Contains("path: infra", azure);
        Assert.Contains("module: main", azure);
        Assert.Contains("project: ./Functions", azure);
        Assert.Contains("host: function", azure);
        Assert.True(File.Exists(Path.Combine(TestAssets.RepositoryRoot, "Functions", "Functions.csproj")));
        var script = Regex.Match(azure, @"run: \./(\S+)").Groups[1].Value;
        Assert.Equal("infra/scripts/build-runner-image.sh", script);
        Assert.True(OperatingSystem.IsWindows() ||
            (File.GetUnixFileMode(Path.Combine(TestAssets.RepositoryRoot, script)) & UnixFileMode.UserExecute) != 0, $"{script} is not executable");
    }

    [Fact]
    public void The_image_script_reads_only_outputs_the_template_produces()
    {
        var script = Read("infra/scripts/build-runner-image.sh");
        var required = Regex.Matches(script, @"\$\{(\w+):\?").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(required);
        var outputs = CompiledTemplate.Main.Root["outputs"]!.AsObject().Select(o => o.Key).ToHashSet();
        Assert.All(required, name => Assert.Contains(name, outputs));
        // The image it builds is fed back to later provisions through the parameters file.
        Assert.Contains("azd env set RUNNER_IMAGE", script);
        Assert.Contains("\"runnerImage\": { \"value\": \"${RUNNER_IMAGE=}\" }", Read("infra/main.parameters.json"));
        Assert.Contains("--file GpuRunner/Dockerfile", script);
    }
}
