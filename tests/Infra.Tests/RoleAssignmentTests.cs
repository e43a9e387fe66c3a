using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BertPlatform.Infra.Tests.Templates;

namespace BertPlatform.Infra.Tests;

/// <summary>
/// Every data-plane access goes through a role granted to a managed identity on the one container, table, queue
/// or registry it uses (nothing account-wide, save Storage Blob Delegator, which holds no data right), and each app
/// signs in as the identity that holds its roles.
/// </summary>
public class RoleAssignmentTests
{
    private static readonly CompiledTemplate Template = CompiledTemplate.Main;

    // Built-in role ids; a typo here or in the template grants the wrong role.
    private static readonly Dictionary<string, string> RoleIds = new()
    {
        ["storageBlobDataContributor"] = "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
        ["storageBlobDataOwner"] = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
        ["storageBlobDataReader"] = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
        ["storageTableDataContributor"] = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
        ["storageTableDataReader"] = "76199698-9eea-4c19-bc75-cec21354c6b6",
        ["storageQueueDataContributor"] = "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
        ["storageQueueDataMessageSender"] = "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a",
        ["storageBlobDelegator"] = "db58b8e5-c6ad-4a2a-8342-4190687cbf4a",
        ["serviceBusDataSender"] = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39",
        ["serviceBusDataReceiver"] = "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0",
        ["serviceBusDataOwner"] = "090c5cfd-751d-490a-894a-3ce6f1109419",
        ["acrPull"] = "7f951dda-4ed3-4680-a7ca-43fe172d538d",
        ["monitoringMetricsPublisher"] = "3913510d-42f4-4e42-8a64-420c390055eb",
    };

    private static readonly System.Text.Json.JsonSerializerOptions Unescaped =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A grant as main.bicep writes it: who, on what (module, and container, table or queue name where it has one), which role.</summary>
    private sealed record Grant(string Identity, string Scope, string Role, string PrincipalType);

    // A grant compiles to a JSON object or to createObject(...) inside concat(); both keep the source order
    // [scope,] principalId, principalType, roleDefinitionId.
    private static readonly Regex GrantPattern = new(
        @"(scope\W+(?<scope>'[\w-]+'|variables\('\w+'\)|[\w-]+)\W+)?principalId\W+(?<who>reference\('identity'\)\.outputs\.\w+PrincipalId\.value|parameters\('principalId'\))\W+principalType\W+(?<type>\w+|parameters\('principalType'\))\W+roleDefinitionId\W+variables\('roleDefinitionIds'\)\.(?<role>\w+)");

    private static List<Grant> Grants()
    {
        var grants = new List<Grant>();
        foreach (var module in Template.ModuleNames)
            foreach (var parameter in new[] { "roleAssignments", "containerRoleAssignments", "tableRoleAssignments", "queueRoleAssignments" })
            {
                if (Template.ModuleParameter(module, parameter) is not { } value) continue;
                var kind = parameter switch
                {
                    "containerRoleAssignments" => "container", "tableRoleAssignments" => "table", "queueRoleAssignments" => "queue", _ => module,
                };
                var text = value.ToJsonString(Unescaped);
                // The deployer's grants are a variable (empty without a principalId) concatenated into the list.
                if (text.Contains("variables('deployerContainerRoles')"))
                    text += " " + Template.Root["variables"]!["deployerContainerRoles"]!.ToJsonString(Unescaped);
                foreach (Match m in GrantPattern.Matches(text))
                {
                    var who = m.Groups["who"].Value.StartsWith("parameters", StringComparison.Ordinal) ? "deployer"
                        : Regex.Match(m.Groups["who"].Value, @"outputs\.(\w+)PrincipalId").Groups[1].Value;
                    var scope = m.Groups["scope"].Success ? $"{kind}:{ScopeName(m.Groups["scope"].Value)}" : kind;
                    grants.Add(new Grant(who, scope, m.Groups["role"].Value, m.Groups["type"].Value));
                }
            }
        // The SAS signer's one account-scoped grant: its principal comes from main.bicep, its role is fixed in the module.
        var signer = Template.ModuleParameter("storage", "sasSignerPrincipalId")!.ToString();
        var delegator = AccountScopedAssignments().Single();
        var role = Regex.Match((string)delegator["properties"]!["roleDefinitionId"]!, @"variables\('roleDefinitionIds'\)\.(\w+)\)\]$").Groups[1].Value;
        grants.Add(new Grant(Regex.Match(signer, @"outputs\.(\w+)PrincipalId").Groups[1].Value, "account", role,
            (string)delegator["properties"]!["principalType"]!));
        return grants;
    }

    private const string AccountScope = @"^\[resourceId\('Microsoft\.Storage/storageAccounts',";

    private static List<JsonObject> AccountScopedAssignments() =>
        Template.ModuleResources("storage", "Microsoft.Authorization/roleAssignments")
            .Where(a => Regex.IsMatch((string)a["scope"]!, AccountScope)).ToList();

    private static string ScopeName(string expression)
    {
        var variable = Regex.Match(expression, @"^variables\('(\w+)'\)$");
        return variable.Success ? (string)Template.Root["variables"]![variable.Groups[1].Value]! : expression.Trim('\'');
    }

    [Fact]
    public void Role_ids_are_the_built_in_roles()
    {
        var declared = Template.Root["variables"]!["roleDefinitionIds"]!.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!);
        Assert.Equal(RoleIds.OrderBy(p => p.Key), declared.OrderBy(p => p.Key));
    }

    [Fact]
    public void Each_identity_gets_exactly_the_roles_it_uses_on_the_containers_tables_and_queue_it_uses()
    {
        (string, string, string)[] expected =
        [
            // API: the Functions host's keys, leases and package; uploads datasets, reads models; its records; sends jobs; telemetry.
            ("api", "container:azure-webjobs-hosts", "storageBlobDataOwner"),
            ("api", "container:azure-webjobs-secrets", "storageBlobDataOwner"),
            ("api", "container:app-package", "storageBlobDataContributor"),
            ("api", "container:datasets", "storageBlobDataContributor"),
            ("api", "container:models", "storageBlobDataReader"),
            ("api", "container:predictions", "storageBlobDataContributor"),
            ("api", "table:datasets", "storageTableDataContributor"),
            ("api", "table:jobs", "storageTableDataContributor"),
            ("api", "table:jobevents", "storageTableDataContributor"),
            ("api", "table:models", "storageTableDataReader"),
            // ...sends, receives and settles upload messages; its queue trigger moves failed ones to the poison queue;
            // signs direct-upload SAS URLs (user-delegation key, an account-level permission with no data right).
            ("api", "queue:dataset-uploads", "storageQueueDataContributor"),
            ("api", "queue:dataset-uploads-poison", "storageQueueDataMessageSender"),
            ("api", "account", "storageBlobDelegator"),
            ("api", "servicebus", "serviceBusDataSender"),
            ("api", "monitoring", "monitoringMetricsPublisher"),
            // Runner: reads datasets, reads and publishes models, keeps checkpoints; its records; receives and re-queues jobs; pulls its image.
            ("runner", "container:datasets", "storageBlobDataReader"),
            ("runner", "container:models", "storageBlobDataContributor"),
            ("runner", "container:checkpoints", "storageBlobDataContributor"),
            ("runner", "container:predictions", "storageBlobDataContributor"),
            ("runner", "table:datasets", "storageTableDataReader"),
            ("runner", "table:jobs", "storageTableDataContributor"),
            ("runner", "table:jobevents", "storageTableDataContributor"),
            ("runner", "table:models", "storageTableDataContributor"),
            ("runner", "servicebus", "serviceBusDataReceiver"),
            ("runner", "servicebus", "serviceBusDataSender"),
            ("runner", "registry", "acrPull"),
            // Scaler: KEDA reads the queue length through the management API (Manage right), on the queue only.
            ("scaler", "servicebus", "serviceBusDataOwner"),
            // The deployer (optional): seeds base models into the models container.
            ("deployer", "container:models", "storageBlobDataContributor"),
        ];
        var grants = Grants();
        Assert.Equal(expected.Order(), grants.Select(g => (g.Identity, g.Scope, g.Role)).Order());
        Assert.All(grants.Where(g => g.Identity != "deployer"), g => Assert.Equal("ServicePrincipal", g.PrincipalType));
    }

    [Fact]
    public void The_deployers_principal_type_comes_from_the_azd_environment()
    {
        var principalType = Template.Root["parameters"]!["principalType"]!;
        Assert.Equal(["ServicePrincipal", "User"], principalType["allowedValues"]!.AsArray().Select(v => (string)v!).Order());
        var deployer = Template.Root["variables"]!["deployerContainerRoles"]!.ToString();
        Assert.Contains("parameters('principalType')", deployer);
        Assert.DoesNotContain("'User'", deployer);
        Assert.StartsWith("[if(empty(parameters('principalId'))", deployer);
        var parametersFile = JsonNode.Parse(File.ReadAllText(Path.Combine(BicepCli.InfraDirectory, "main.parameters.json")))!;
        Assert.Equal("${AZURE_PRINCIPAL_TYPE=User}", (string)parametersFile["parameters"]!["principalType"]!["value"]!);
        // No grant anywhere hard-codes 'User'.
        Assert.DoesNotContain("'principalType', 'User'", Template.Json);
        Assert.DoesNotContain("\"principalType\": \"User\"", Template.Json);
    }

    /// <summary>(module, resource) for every role assignment in every module, with its compiled scope expression.</summary>
    public static TheoryData<string, string> AllRoleAssignments()
    {
        var data = new TheoryData<string, string>();
        foreach (var module in Template.ModuleNames)
            foreach (var assignment in Template.ModuleResources(module, "Microsoft.Authorization/roleAssignments"))
                data.Add(module, Label(assignment));
        return data;
    }

    /// <summary>A loop's name, or a single assignment's name expression.</summary>
    private static string Label(JsonObject assignment) => (string?)assignment["copy"]?["name"] ?? (string)assignment["name"]!;

    [Theory]
    [MemberData(nameof(AllRoleAssignments))]
    public void No_data_role_is_granted_on_a_whole_storage_account_or_namespace(string module, string label)
    {
        var assignment = Template.ModuleResources(module, "Microsoft.Authorization/roleAssignments").Single(a => Label(a) == label);
        var scope = (string)assignment["scope"]!;
        var scopeType = Regex.Match(scope, @"^\[resourceId\('([^']+)'").Groups[1].Value;
        var properties = assignment["properties"]!;
        // Named guid(scope, principal, role): stable across redeployments, unique per grant.
        Assert.StartsWith($"[guid(resourceId('{scopeType}'", (string)assignment["name"]!);
        Assert.StartsWith("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', ", (string)properties["roleDefinitionId"]!);
        if (scopeType == "Microsoft.Storage/storageAccounts")
        {
            // The one exception: Storage Blob Delegator (generateUserDelegationKey only, no data action), which Azure
            // honours only at the account or above. Its role is fixed in the module, not passed in, so no data role
            // can take its place; a user-delegation SAS never exceeds the signer's own, container-scoped, data roles.
            Assert.Equal("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', variables('roleDefinitionIds').storageBlobDelegator)]",
                (string)properties["roleDefinitionId"]!);
            Assert.Equal("ServicePrincipal", (string)properties["principalType"]!);
            return;
        }
        string[] allowed =
        [
            "Microsoft.Storage/storageAccounts/blobServices/containers", "Microsoft.Storage/storageAccounts/tableServices/tables",
            "Microsoft.Storage/storageAccounts/queueServices/queues",
            "Microsoft.ServiceBus/namespaces/queues", "Microsoft.ContainerRegistry/registries", "Microsoft.Insights/components",
        ];
        Assert.Contains(scopeType, allowed);
        Assert.EndsWith("[copyIndex()].principalType]", (string)properties["principalType"]!);
    }

    [Fact]
    public void The_storage_module_grants_no_data_role_on_the_account_itself()
    {
        // The check above, stated for the case the review found: the one assignment on the account is the Delegator,
        // and no parameter could put another role there.
        var onAccount = AccountScopedAssignments();
        Assert.Single(onAccount);
        Assert.EndsWith("variables('roleDefinitionIds').storageBlobDelegator)]", (string)onAccount[0]["properties"]!["roleDefinitionId"]!);
        Assert.Null(Template.ModuleParameter("storage", "roleAssignments"));
        // Every container, table and queue a grant names is one the template creates (checked again at deployment with fail()).
        var storage = Template.ModuleTemplate("storage")["variables"]!;
        var containers = storage["dataContainers"]!.AsArray().Concat(storage["hostContainers"]!.AsArray()).Select(c => (string)c!).Append("app-package").ToHashSet();
        var tables = storage["tables"]!.AsArray().Select(t => (string)t!).ToHashSet();
        var queues = storage["queues"]!.AsArray().Select(q => (string)q!).ToHashSet();
        foreach (var grant in Grants())
        {
            if (grant.Scope.StartsWith("container:", StringComparison.Ordinal)) Assert.Contains(grant.Scope["container:".Length..], containers);
            if (grant.Scope.StartsWith("table:", StringComparison.Ordinal)) Assert.Contains(grant.Scope["table:".Length..], tables);
            if (grant.Scope.StartsWith("queue:", StringComparison.Ordinal)) Assert.Contains(grant.Scope["queue:".Length..], queues);
        }
        var check = (string)storage["unknownScopes"]!;
        Assert.Contains("parameters('queueRoleAssignments')", check);
        Assert.Contains("fail(", (string)storage["checkedAccountName"]!);
    }

    [Fact]
    public void The_upload_queue_and_its_poison_queue_exist_under_the_names_the_trigger_uses()
    {
        var queues = Template.ModuleTemplate("storage")["variables"]!["queues"]!.AsArray().Select(q => (string)q!).ToList();
        // The Functions queue extension's poison queue is {queue}-poison; it only creates it when missing, which the
        // API's roles could not do.
        Assert.Equal([BertPlatform.Functions.Datasets.UploadQueue.Name, BertPlatform.Functions.Datasets.UploadQueue.Name + "-poison"], queues);
        Assert.Single(Template.ModuleResources("storage", "Microsoft.Storage/storageAccounts/queueServices"));
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
