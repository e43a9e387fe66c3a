using System.Text.Json.Nodes;

namespace BertPlatform.Infra.Tests.Templates;

/// <summary>The environment each app gets from the templates: the Function App's app settings and the runner job's env vars.</summary>
public static class DeployedSettings
{
    public static IReadOnlyList<(string Name, string Value)> FunctionsApp(CompiledTemplate template) =>
        Pairs(template.ModuleResource("functionapp", "Microsoft.Web/sites")["properties"]!["siteConfig"]!["appSettings"]!.AsArray());

    public static IReadOnlyList<(string Name, string Value)> GpuRunner(CompiledTemplate template) =>
        Pairs(RunnerContainer(template)["env"]!.AsArray());

    public static JsonObject RunnerContainer(CompiledTemplate template) =>
        template.ModuleResource("containerapps", "Microsoft.App/jobs")["properties"]!["template"]!["containers"]!.AsArray().Single()!.AsObject();

    private static List<(string Name, string Value)> Pairs(JsonArray settings) =>
        settings.Select(s => s!.AsObject()).Select(s =>
        {
            if (s.ContainsKey("secretRef")) throw new InvalidOperationException($"Setting {s["name"]} takes its value from a secret.");
            return ((string)s["name"]!, s["value"]!.ToString());
        }).ToList();
}
