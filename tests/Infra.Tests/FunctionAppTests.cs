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
        Assert.Equal(["datasets", "models", "checkpoints", "predictions"], containers);
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
        Assert.All(Template.ModuleResources("storage", "Microsoft.Storage/storageAccounts/blobServices/containers").Where(c => c["existing"] is null),
            c => Assert.Equal("None", (string)c["properties"]!["publicAccess"]!));
    }

    [Fact]
    public void Entra_id_sign_in_turns_on_app_service_authentication_and_trusts_its_principal_header()
    {
        var auth = Template.ModuleResource("functionapp", "Microsoft.Web/sites/config");
        Assert.Equal("[parameters('enableEntraSignIn')]", (string)auth["condition"]!);
        Assert.EndsWith("'authsettingsV2')]", (string)auth["name"]!);
        var properties = auth["properties"]!;
        Assert.True((bool)properties["platform"]!["enabled"]!);
        // Keys stay for automation: a request without a token reaches the function, whose key still guards it.
        Assert.False((bool)properties["globalValidation"]!["requireAuthentication"]!);
        Assert.Equal("AllowAnonymous", (string)properties["globalValidation"]!["unauthenticatedClientAction"]!);
        var entra = properties["identityProviders"]!["azureActiveDirectory"]!;
        Assert.True((bool)entra["enabled"]!);
        Assert.Equal("[parameters('entraClientId')]", (string)entra["registration"]!["clientId"]!);
        Assert.Contains("tenant().tenantId", (string)entra["registration"]!["openIdIssuer"]!);
        Assert.Contains("[parameters('entraClientId')]", entra["validation"]!["allowedAudiences"]!.AsArray().Select(a => (string)a!));
        // The app trusts x-ms-client-principal exactly when App Service Authentication sets it.
        var settings = DeployedSettings.FunctionsApp(Template).ToDictionary(s => s.Name, s => s.Value);
        Assert.Equal("[string(parameters('enableEntraSignIn'))]", settings["Api__TrustClientPrincipalHeader"]);
        Assert.Equal("[parameters('enableEntraSignIn')]", Template.ModuleParameter("functionapp", "enableEntraSignIn")!.ToString());
        // Off unless asked for, and asking without an app registration fails before anything is created.
        Assert.False((bool)Template.Root["parameters"]!["enableEntraSignIn"]!["defaultValue"]!);
        Assert.Contains("fail(", (string)Template.Root["variables"]!["checkedEntraClientId"]!);
        Assert.Equal("[variables('checkedEntraClientId')]", Template.ModuleParameter("functionapp", "entraClientId")!.ToString());
    }

    [Fact]
    public void Key_owners_come_from_a_template_parameter_so_a_provision_keeps_them()
    {
        // App settings are replaced whole on every provision: a mapping set by hand would be dropped, and the keys'
        // owners with it.
        var settings = DeployedSettings.FunctionsApp(Template).ToDictionary(s => s.Name, s => s.Value);
        Assert.Equal("[parameters('apiKeyOwners')]", settings["Api__KeyOwners"]);
        Assert.Equal("[parameters('apiKeyOwners')]", Template.ModuleParameter("functionapp", "apiKeyOwners")!.ToString());
        Assert.Equal("", (string)Template.Root["parameters"]!["apiKeyOwners"]!["defaultValue"]!);
    }
}
