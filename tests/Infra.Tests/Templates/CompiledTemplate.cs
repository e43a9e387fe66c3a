using System.Text.Json.Nodes;

namespace BertPlatform.Infra.Tests.Templates;

/// <summary>
/// infra/main.bicep compiled to ARM JSON (from the one <c>bicep build</c> of the test run), with ways into its modules
/// (nested deployments whose templates are inlined) and their resources.
/// </summary>
public sealed class CompiledTemplate
{
    private static readonly Lazy<CompiledTemplate> main = new(() => Compiled("main.bicep"));

    public static CompiledTemplate Main => main.Value;

    public CompiledTemplate(string json)
    {
        Json = json;
        Root = JsonNode.Parse(json)!.AsObject();
    }

    public string Json { get; }

    public JsonObject Root { get; }

    public static CompiledTemplate Compiled(string bicepFile)
    {
        var build = BicepCli.BuildAll;
        return build.Compiled.TryGetValue(bicepFile, out var json) ? new CompiledTemplate(json)
            : throw new InvalidOperationException($"bicep build did not compile {bicepFile} (exit {build.ExitCode}):\n{string.Join('\n', build.Diagnostics)}");
    }

    /// <summary>Resources of a template, whether it lists them (language version 1) or keys them by symbolic name (2.0).</summary>
    public static IEnumerable<JsonObject> Resources(JsonObject template) => template["resources"] switch
    {
        JsonArray array => array.Select(r => r!.AsObject()),
        JsonObject map => map.Select(r => r.Value!.AsObject()),
        _ => [],
    };

    /// <summary>The module deployment named <paramref name="deploymentName"/> (its <c>name:</c> in main.bicep).</summary>
    public JsonObject Module(string deploymentName) =>
        Resources(Root).SingleOrDefault(r => (string?)r["type"] == "Microsoft.Resources/deployments" && (string?)r["name"] == deploymentName)
        ?? throw new InvalidOperationException($"main.bicep has no module deployment named '{deploymentName}'.");

    public IEnumerable<string> ModuleNames =>
        Resources(Root).Where(r => (string?)r["type"] == "Microsoft.Resources/deployments").Select(r => (string)r["name"]!);

    public JsonObject ModuleTemplate(string deploymentName) => Module(deploymentName)["properties"]!["template"]!.AsObject();

    /// <summary>The expression or value main.bicep passes to a module parameter.</summary>
    public JsonNode? ModuleParameter(string deploymentName, string parameter) =>
        Module(deploymentName)["properties"]!["parameters"]![parameter]?["value"];

    public IEnumerable<JsonObject> ModuleResources(string deploymentName, string type) =>
        Resources(ModuleTemplate(deploymentName)).Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase));

    public JsonObject ModuleResource(string deploymentName, string type)
    {
        var matches = ModuleResources(deploymentName, type).ToList();
        return matches.Count == 1 ? matches[0]
            : throw new InvalidOperationException($"Module '{deploymentName}' has {matches.Count} resources of type {type}, expected one.");
    }

    /// <summary>Every resource in main and its modules, as (module or "main", type, name expression).</summary>
    public IEnumerable<(string Module, string Type, string Name)> AllResources()
    {
        foreach (var resource in Resources(Root))
        {
            var type = (string)resource["type"]!;
            var name = (string)resource["name"]!;
            yield return ("main", type, name);
            if (type != "Microsoft.Resources/deployments") continue;
            foreach (var inner in Resources(resource["properties"]!["template"]!.AsObject()))
                yield return (name, (string)inner["type"]!, (string)inner["name"]!);
        }
    }
}
