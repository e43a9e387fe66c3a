using System.Text.RegularExpressions;
using BertPlatform.Infra.Tests.Templates;

namespace BertPlatform.Infra.Tests;

/// <summary>
/// Every data-plane access goes through a role granted to a managed identity, each identity gets only what it
/// uses, and each app signs in as the identity that holds its roles.
/// </summary>
public class RoleAssignmentTests
{
    private static readonly CompiledTemplate Template = CompiledTemplate.Main;

    // Built-in role ids (design/facts.md); a typo here or in the template grants the wrong role.
    private static readonly Dictionary<string, string> RoleIds = new()
    {
        ["storageBlobDataContributor"] = "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
        ["storageBlobDataOwner"] = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
        ["storageQueueDataContributor"] = "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
        ["storageTableDataContributor"] = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
        ["serviceBusDataSender"] = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39",
        ["serviceBusDataReceiver"] = "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0",
        ["serviceBusDataOwner"] = "090c5cfd-751d-490a-894a-3ce6f1109419",
        ["acrPull"] = "7f951dda-4ed3-4680-a7ca-43fe172d538d",
        ["monitoringMetricsPublisher"] = "3913510d-42f4-4e42-8a64-420c390055eb",
    };

    private static readonly System.Text.Json.JsonSerializerOptions Unescaped =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>(identity, module the role is scoped to, role) for every managed-identity grant main.bicep makes.</summary>
    private static List<(string Identity, string Scope, string Role)> ManagedIdentityGrants()
    {
        // A grant compiles either to a JSON object or to createObject(...) inside concat(): in both, the principal
        // (an identity module output) comes before its principal type and role.
        var grant = new Regex(@"outputs\.(?<who>\w+)PrincipalId\.value\W+principalType\W+(?<type>\w+)\W+roleDefinitionId\W+variables\('roleDefinitionIds'\)\.(?<role>\w+)");
        var grants = new List<(string, string, string)>();
        foreach (var module in Template.ModuleNames)
        {
            var parameter = Template.ModuleParameter(module, "roleAssignments");
            if (parameter is null) continue;
            foreach (Match m in grant.Matches(parameter.ToJsonString(Unescaped)))
            {
                Assert.Equal("ServicePrincipal", m.Groups["type"].Value);
                grants.Add((m.Groups["who"].Value, module, m.Groups["role"].Value));
            }
        }
        return grants;
    }

    [Fact]
    public void Role_ids_are_the_built_in_roles()
    {
        var declared = Template.Root["variables"]!["roleDefinitionIds"]!.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!);
        Assert.Equal(RoleIds.OrderBy(p => p.Key), declared.OrderBy(p => p.Key));
    }

    [Fact]
    public void Each_identity_gets_exactly_the_roles_it_uses()
    {
        (string, string, string)[] expected =
        [
            // API: the Functions host's storage (blob keys and leases, queues, tables), the app's blobs and tables,
            // sending jobs, and Entra ID telemetry.
            ("api", "storage", "storageBlobDataOwner"),
            ("api", "storage", "storageQueueDataContributor"),
            ("api", "storage", "storageTableDataContributor"),
            ("api", "servicebus", "serviceBusDataSender"),
            ("api", "monitoring", "monitoringMetricsPublisher"),
            // Runner: datasets, models, checkpoints, records; receiving jobs and re-queuing those it hands back; its image.
            ("runner", "storage", "storageBlobDataContributor"),
            ("runner", "storage", "storageTableDataContributor"),
            ("runner", "servicebus", "serviceBusDataReceiver"),
            ("runner", "servicebus", "serviceBusDataSender"),
            ("runner", "registry", "acrPull"),
            // Scaler: KEDA reads the queue length through the management API (Manage right), nothing else.
            ("scaler", "servicebus", "serviceBusDataOwner"),
        ];
        Assert.Equal(expected.Order(), ManagedIdentityGrants().Order());
    }

    [Fact]
    public void The_deploying_user_gets_only_blob_and_table_data_access_for_seeding()
    {
        var deployer = Template.Root["variables"]!["deployerRoles"]!.ToString();
        var roles = Regex.Matches(deployer, @"roleDefinitionIds'\)\.(\w+)").Select(m => m.Groups[1].Value).Order().ToList();
        Assert.Equal(["storageBlobDataContributor", "storageTableDataContributor"], roles);
        Assert.Equal(2, Regex.Matches(deployer, "'User'").Count);
        Assert.StartsWith("[if(empty(parameters('principalId'))", deployer);
    }

    [Theory]
    [InlineData("storage", "Microsoft.Storage/storageAccounts")]
    [InlineData("servicebus", "Microsoft.ServiceBus/namespaces/queues")]
    [InlineData("registry", "Microsoft.ContainerRegistry/registries")]
    [InlineData("monitoring", "Microsoft.Insights/components")]
    public void Each_module_grants_its_role_list_in_one_loop_scoped_to_its_resource(string module, string scopeType)
    {
        var assignment = Template.ModuleResource(module, "Microsoft.Authorization/roleAssignments");
        Assert.Equal("[length(parameters('roleAssignments'))]", (string)assignment["copy"]!["count"]!);
        var properties = assignment["properties"]!;
        Assert.Equal("[parameters('roleAssignments')[copyIndex()].principalId]", (string)properties["principalId"]!);
        Assert.Equal("[parameters('roleAssignments')[copyIndex()].principalType]", (string)properties["principalType"]!);
        Assert.Equal("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', parameters('roleAssignments')[copyIndex()].roleDefinitionId)]",
            (string)properties["roleDefinitionId"]!);
        // Named guid(scope, principal, role): stable across redeployments, unique per grant.
        var name = (string)assignment["name"]!;
        Assert.StartsWith($"[guid(resourceId('{scopeType}'", name);
        Assert.Contains("principalId, parameters('roleAssignments')[copyIndex()].roleDefinitionId)]", name);
        Assert.StartsWith($"[resourceId('{scopeType}'", (string)assignment["scope"]!);
    }

    [Fact]
    public void Each_app_signs_in_as_the_identity_that_holds_its_roles()
    {
        var functions = DeployedSettings.FunctionsApp(Template).ToDictionary(s => s.Name, s => s.Value);
        Assert.Equal("[parameters('identityClientId')]", functions["AZURE_CLIENT_ID"]);
        Assert.Equal("[parameters('identityClientId')]", functions["AzureWebJobsStorage__clientId"]);
        Assert.Equal("[reference('identity').outputs.apiClientId.value]", Template.ModuleParameter("functionapp", "identityClientId")!.ToString());
        Assert.Equal("[reference('identity').outputs.apiIdentityId.value]", Template.ModuleParameter("functionapp", "identityId")!.ToString());

        var site = Template.ModuleResource("functionapp", "Microsoft.Web/sites");
        Assert.Equal("UserAssigned", (string)site["identity"]!["type"]!);
        var deployment = site["properties"]!["functionAppConfig"]!["deployment"]!["storage"]!["authentication"]!;
        Assert.Equal("UserAssignedIdentity", (string)deployment["type"]!);
        Assert.Equal("[parameters('identityId')]", (string)deployment["userAssignedIdentityResourceId"]!);

        var runner = DeployedSettings.GpuRunner(Template).ToDictionary(s => s.Name, s => s.Value);
        Assert.Equal("[parameters('runnerIdentityClientId')]", runner["AZURE_CLIENT_ID"]);
        Assert.Equal("[reference('identity').outputs.runnerClientId.value]", Template.ModuleParameter("containerapps", "runnerIdentityClientId")!.ToString());
        var job = Template.ModuleResource("containerapps", "Microsoft.App/jobs");
        var registry = job["properties"]!["configuration"]!["registries"]!.AsArray().Single()!;
        Assert.Equal("[parameters('runnerIdentityId')]", (string)registry["identity"]!);
        Assert.Equal("[reference('identity').outputs.runnerIdentityId.value]", Template.ModuleParameter("containerapps", "runnerIdentityId")!.ToString());
        Assert.Equal("[reference('identity').outputs.scalerIdentityId.value]", Template.ModuleParameter("containerapps", "scalerIdentityId")!.ToString());
    }

    [Fact]
    public void Every_identity_is_a_user_assigned_managed_identity()
    {
        var identities = Template.ModuleResources("identity", "Microsoft.ManagedIdentity/userAssignedIdentities").ToList();
        Assert.Equal(3, identities.Count);
        var outputs = Template.ModuleTemplate("identity")["outputs"]!.AsObject();
        foreach (var who in new[] { "api", "runner", "scaler" })
            Assert.Contains(".principalId", outputs[$"{who}PrincipalId"]!["value"]!.ToString());
    }
}
