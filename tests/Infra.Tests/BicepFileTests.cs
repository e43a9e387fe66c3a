using BertPlatform.Infra.Tests.Templates;

namespace BertPlatform.Infra.Tests;

/// <summary>Every Bicep file compiles and passes the linter with nothing to say.</summary>
public class BicepFileTests
{
    private static List<string> Files() =>
        Directory.EnumerateFiles(BicepCli.InfraDirectory, "*.bicep", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(BicepCli.InfraDirectory, file)).Order(StringComparer.Ordinal).ToList();

    public static TheoryData<string> BicepFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Files()) data.Add(file);
        return data;
    }

    [Fact]
    public void The_infra_folder_has_main_and_one_module_per_concern()
    {
        var files = Files();
        string[] expected =
        [
            "main.bicep", "modules/containerapps.bicep", "modules/functionapp.bicep", "modules/identity.bicep", "modules/monitoring.bicep",
            "modules/registry.bicep", "modules/servicebus.bicep", "modules/storage.bicep", "modules/types.bicep",
        ];
        Assert.Equal(expected, files);
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public void Compiles_without_warnings(string file)
    {
        var build = BicepCli.BuildAll;
        Assert.True(build.ExitCode == 0, $"bicep build exited {build.ExitCode}:\n{string.Join('\n', build.Diagnostics)}");
        Assert.Empty(build.About(file));
        Assert.Empty(build.Unattributed);
        Assert.StartsWith("{", build.Compiled[file].TrimStart());
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public void Lints_clean(string file)
    {
        var lint = BicepCli.LintAll;
        Assert.True(lint.ExitCode == 0, $"bicep lint exited {lint.ExitCode}:\n{string.Join('\n', lint.Diagnostics)}");
        Assert.Empty(lint.About(file));
        Assert.Empty(lint.Unattributed);
    }

    [Fact]
    public void One_build_compiles_every_file()
    {
        Assert.Equal(Files(), BicepCli.BuildAll.Compiled.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Main_deploys_every_module_and_names_outputs_in_upper_snake_case()
    {
        var template = CompiledTemplate.Main;
        Assert.Equal(["containerapps", "functionapp", "identity", "monitoring", "registry", "servicebus", "storage"], template.ModuleNames.Order());
        var outputs = template.Root["outputs"]!.AsObject().Select(o => o.Key).ToList();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, name => Assert.Matches("^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$", name));
        Assert.Contains("AZURE_CONTAINER_REGISTRY_ENDPOINT", outputs);
        Assert.Contains("RUNNER_JOB_NAME", outputs);
    }

    [Fact]
    public void The_parameters_file_sets_exactly_parameters_main_declares()
    {
        var declared = CompiledTemplate.Main.Root["parameters"]!.AsObject().Select(p => p.Key).ToHashSet();
        var parametersFile = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(BicepCli.InfraDirectory, "main.parameters.json")))!;
        var given = parametersFile["parameters"]!.AsObject().Select(p => p.Key).ToList();
        Assert.All(given, name => Assert.Contains(name, declared));
        // What has no default must come from the parameters file (azd fills ${AZURE_ENV_NAME}).
        var required = CompiledTemplate.Main.Root["parameters"]!.AsObject().Where(p => !p.Value!.AsObject().ContainsKey("defaultValue")).Select(p => p.Key);
        Assert.All(required, name => Assert.Contains(name, given));
    }
}
