using BertPlatform.Infra.Tests.Templates;

namespace BertPlatform.Infra.Tests;

public class FunctionAppTests
{
    private static readonly CompiledTemplate Template = CompiledTemplate.Main;

    [Fact]
    public void The_api_runs_dotnet_isolated_10_on_flex_consumption()
    {
        var plan = Template.ModuleResource("functionapp", "Microsoft.Web/serverfarms");
        Assert.Equal("FC1", (string)plan["sku"]!["name"]!);
        Assert.Equal("FlexConsumption", (string)plan["sku"]!["tier"]!);
        var site = Template.ModuleResource("functionapp", "Microsoft.Web/sites");
        var runtime = site["properties"]!["functionAppConfig"]!["runtime"]!;
        Assert.Equal("dotnet-isolated", (string)runtime["name"]!);
        Assert.Equal("10.0", (string)runtime["version"]!);
        Assert.True((bool)site["properties"]!["httpsOnly"]!);
        Assert.Contains("'azd-service-name', 'api'", site["tags"]!.ToString());
    }

    [Fact]
    public void Storage_holds_the_platform_containers_and_tables_and_keeps_model_history()
    {
        var containers = Template.ModuleTemplate("storage")["variables"]!["dataContainers"]!.AsArray().Select(c => (string)c!).ToList();
        Assert.Equal(["datasets", "models", "checkpoints"], containers);
        var tables = Template.ModuleTemplate("storage")["variables"]!["tables"]!.AsArray().Select(c => (string)c!).ToList();
        Assert.Equal(["datasets", "jobs", "jobevents", "models"], tables);
        var blobService = Template.ModuleResource("storage", "Microsoft.Storage/storageAccounts/blobServices")["properties"]!;
        Assert.True((bool)blobService["isVersioningEnabled"]!);
        Assert.True((bool)blobService["deleteRetentionPolicy"]!["enabled"]!);
        Assert.True((bool)blobService["containerDeleteRetentionPolicy"]!["enabled"]!);
        // Versions are trimmed for checkpoints and datasets; nothing trims the models container's history.
        var rules = Template.ModuleResource("storage", "Microsoft.Storage/storageAccounts/managementPolicies")["properties"]!["policy"]!["rules"]!.ToJsonString();
        Assert.Contains("checkpoints/", rules);
        Assert.DoesNotContain("models/", rules);
        Assert.All(Template.ModuleResources("storage", "Microsoft.Storage/storageAccounts/blobServices/containers"),
            c => Assert.Equal("None", (string)c["properties"]!["publicAccess"]!));
    }
}
