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
        // AZURE_ENV_NAME is azd's own (the environment's name); everything else comes from the deployment.
        Assert.All(required.Where(n => n != "AZURE_ENV_NAME"), name => Assert.Contains(name, outputs));
        // The image it deploys is fed back to later provisions through the parameters file.
        Assert.Contains("azd env set RUNNER_IMAGE", script);
        Assert.Contains("\"runnerImage\": { \"value\": \"${RUNNER_IMAGE=}\" }", Read("infra/main.parameters.json"));
        Assert.Contains("--file GpuRunner/Dockerfile", script);
        // The first CUDA restore outlasts ACR's default one-hour build timeout.
        Assert.Matches(@"--timeout (\d{4,})", script);
        Assert.True(int.Parse(Regex.Match(script, @"--timeout (\d+)").Groups[1].Value) >= 7200);
    }

    [Fact]
    public void The_image_is_deployed_through_the_template_with_the_same_parameters_as_azd()
    {
        var script = Read("infra/scripts/build-runner-image.sh");
        // Never a CLI rewrite of the job (it would drop the scale rule's identity on another API version).
        Assert.DoesNotContain("containerapp job update", script);
        Assert.Contains("az deployment group create", script);
        Assert.Contains("--template-file infra/main.bicep", script);
        // name="${VAR:-default}" in the script against "name": { "value": "${VAR=default}" } in the parameters file.
        var passed = Regex.Matches(script, @"^[ \t]+(\w+)=""\$\{?(\w+)(?::-([^}""]*))?\}?""", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[1].Value, m => (Variable: m.Groups[2].Value, Default: m.Groups[3].Value));
        var parameters = System.Text.Json.Nodes.JsonNode.Parse(Read("infra/main.parameters.json"))!["parameters"]!.AsObject()
            .ToDictionary(p => p.Key, p => Regex.Match((string)p.Value!["value"]!, @"^\$\{(\w+)(?:=(.*))?\}$"));
        Assert.Equal(parameters.Keys.Order(), passed.Keys.Order());
        foreach (var (name, azd) in parameters)
        {
            if (name == "runnerImage")
            {
                Assert.Equal("image", passed[name].Variable);   // the image just built
                continue;
            }
            Assert.Equal(azd.Groups[1].Value, passed[name].Variable);
            Assert.Equal(azd.Groups[2].Value, passed[name].Default);
        }
    }

    [Fact]
    public void The_image_tag_names_its_sources_so_an_unchanged_runner_is_not_rebuilt()
    {
        var script = Read("infra/scripts/build-runner-image.sh");
        var sources = Regex.Match(script, @"sources=""([^""]+)""").Groups[1].Value.Split(' ');
        // Everything the Dockerfile's build stage copies is part of the digest.
        foreach (var copied in new[] { "GpuRunner", "Shared", "build", "global.json", ".editorconfig", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
            Assert.Contains(copied, sources);
        Assert.Contains("tag=\"src-$digest\"", script);
        Assert.Contains("if [ \"${RUNNER_IMAGE:-}\" = \"$image\" ]", script);
    }

    [Fact]
    public void Azd_pipeline_config_carries_every_setting_the_parameters_file_reads()
    {
        // azd passes its own (AZURE_ENV_NAME, AZURE_LOCATION, AZURE_PRINCIPAL_ID) to CI; the rest must be listed, or a
        // service principal's deployment would fall back to principalType User and fail with UnmatchedPrincipalType.
        var azdOwn = new[] { "AZURE_ENV_NAME", "AZURE_LOCATION", "AZURE_PRINCIPAL_ID" };
        var read = Regex.Matches(Read("infra/main.parameters.json"), @"\$\{(\w+)").Select(m => m.Groups[1].Value).Except(azdOwn).Order();
        var azure = Read("azure.yaml");
        var pipeline = azure[azure.IndexOf("pipeline:", StringComparison.Ordinal)..];
        var listed = Regex.Matches(pipeline, @"^\s+- (\w+)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).Order();
        Assert.Equal(read, listed);
    }
}
