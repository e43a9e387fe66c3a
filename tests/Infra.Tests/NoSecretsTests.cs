using System.Text.RegularExpressions;
using BertPlatform.Infra.Tests.Templates;

namespace BertPlatform.Infra.Tests;

/// <summary>No key, connection string, password or SAS anywhere: every service is reached with Entra ID.</summary>
public class NoSecretsTests
{
    private static readonly CompiledTemplate Template = CompiledTemplate.Main;

    [Fact]
    public void The_template_never_reads_keys_or_credentials()
    {
        // listKeys, listConnectionStrings, listCredentials, listAccountSas ... are how templates pull secrets.
        var calls = Regex.Matches(Template.Json, @"\blist[A-Z]\w*\(").Select(m => m.Value).Distinct().ToList();
        Assert.True(calls.Count == 0, "The template calls " + string.Join(", ", calls));
        Assert.DoesNotContain("secureString", Template.Json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\"secrets\"", Template.Json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"sharedKey\"", Template.Json, StringComparison.Ordinal);   // Log Analytics workspace keys
    }

    public static TheoryData<string, string, string> AllSettings()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (name, value) in DeployedSettings.FunctionsApp(Template)) data.Add("Function App", name, value);
        foreach (var (name, value) in DeployedSettings.GpuRunner(Template)) data.Add("runner job", name, value);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllSettings))]
    public void No_setting_carries_a_secret(string app, string name, string value)
    {
        // The Application Insights connection string holds an endpoint and a public resource id; with local auth
        // disabled (checked below) it grants nothing without an Entra ID token. Api__KeyOwners maps SHA-256 digests of
        // function keys to owners: a digest does not let anyone call the API.
        if (name is not ("APPLICATIONINSIGHTS_CONNECTION_STRING" or "Api__KeyOwners"))
            Assert.DoesNotMatch(new Regex("(key|secret|password|connectionstring|connection_string|sas|token)", RegexOptions.IgnoreCase), name);
        foreach (var marker in new[] { "AccountKey=", "SharedAccessKey", "SharedAccessSignature", "sig=", "password", "listKeys" })
            Assert.False(value.Contains(marker, StringComparison.OrdinalIgnoreCase), $"{app} setting {name} contains '{marker}': {value}");
    }

    [Fact]
    public void Application_insights_accepts_only_entra_id_telemetry()
    {
        var component = Template.ModuleResource("monitoring", "Microsoft.Insights/components");
        Assert.True((bool)component["properties"]!["DisableLocalAuth"]!);
        var settings = DeployedSettings.FunctionsApp(Template).ToDictionary(s => s.Name, s => s.Value);
        Assert.Contains("Authorization=AAD", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        Assert.Contains("ClientId=", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        // The connection string is the component's own property, passed through, never assembled around a key.
        Assert.Equal("[parameters('applicationInsightsConnectionString')]", settings["APPLICATIONINSIGHTS_CONNECTION_STRING"]);
        Assert.Contains("outputs.applicationInsightsConnectionString.value",
            Template.ModuleParameter("functionapp", "applicationInsightsConnectionString")!.ToString());
        Assert.Contains(".ConnectionString", Template.ModuleTemplate("monitoring")["outputs"]!["applicationInsightsConnectionString"]!["value"]!.ToString());
    }

    [Fact]
    public void Storage_has_shared_keys_off_and_nothing_public()
    {
        var properties = Template.ModuleResource("storage", "Microsoft.Storage/storageAccounts")["properties"]!;
        Assert.False((bool)properties["allowSharedKeyAccess"]!);
        Assert.False((bool)properties["allowBlobPublicAccess"]!);
        Assert.True((bool)properties["defaultToOAuthAuthentication"]!);
        Assert.True((bool)properties["supportsHttpsTrafficOnly"]!);
        Assert.Equal("TLS1_2", (string)properties["minimumTlsVersion"]!);
    }

    [Fact]
    public void Service_bus_and_the_registry_refuse_keys_and_passwords()
    {
        var serviceBus = Template.ModuleResource("servicebus", "Microsoft.ServiceBus/namespaces")["properties"]!;
        Assert.True((bool)serviceBus["disableLocalAuth"]!);
        Assert.Equal("1.2", (string)serviceBus["minimumTlsVersion"]!);
        var registry = Template.ModuleResource("registry", "Microsoft.ContainerRegistry/registries")["properties"]!;
        Assert.False((bool)registry["adminUserEnabled"]!);
    }

    [Fact]
    public void Container_apps_logs_leave_without_a_workspace_key()
    {
        var environment = Template.ModuleResource("containerapps", "Microsoft.App/managedEnvironments");
        Assert.Equal("azure-monitor", (string)environment["properties"]!["appLogsConfiguration"]!["destination"]!);
        var diagnostics = Template.ModuleResource("containerapps", "Microsoft.Insights/diagnosticSettings");
        Assert.Equal("[parameters('logAnalyticsWorkspaceId')]", (string)diagnostics["properties"]!["workspaceId"]!);
    }

    [Fact]
    public void Nothing_is_published_with_basic_auth()
    {
        var policies = Template.ModuleResources("functionapp", "Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();
        Assert.Equal(2, policies.Count);
        Assert.All(policies, p => Assert.False((bool)p["properties"]!["allow"]!));
    }
}
