using BertPlatform.Infra.Tests.Templates;

namespace BertPlatform.Infra.Tests;

/// <summary>The GPU runners: an event-triggered Container Apps job on a serverless GPU profile, scaled by the job queue.</summary>
public class RunnerJobTests
{
    private static readonly CompiledTemplate Template = CompiledTemplate.Main;

    private static System.Text.Json.Nodes.JsonNode Configuration =>
        Template.ModuleResource("containerapps", "Microsoft.App/jobs")["properties"]!["configuration"]!;

    [Fact]
    public void The_job_scales_from_zero_on_the_job_queue_with_the_scaler_identity()
    {
        Assert.Equal("Event", (string)Configuration["triggerType"]!);
        var trigger = Configuration["eventTriggerConfig"]!;
        Assert.Equal(1, (int)trigger["parallelism"]!);
        Assert.Equal(1, (int)trigger["replicaCompletionCount"]!);
        Assert.Equal(0, (int)trigger["scale"]!["minExecutions"]!);
        var rule = trigger["scale"]!["rules"]!.AsArray().Single()!;
        Assert.Equal("azure-servicebus", (string)rule["type"]!);
        Assert.Equal("[parameters('scalerIdentityId')]", (string)rule["identity"]!);
        Assert.Null(rule["auth"]);
        var metadata = rule["metadata"]!;
        Assert.Equal("1", (string)metadata["messageCount"]!);   // one message, one execution
        Assert.Equal("[parameters('jobQueueName')]", (string)metadata["queueName"]!);
        Assert.Equal("[parameters('serviceBusNamespaceName')]", (string)metadata["namespace"]!);
        // ...and those parameters are the queue the API sends to and the namespace (by name, as KEDA wants it).
        Assert.Equal("[reference('serviceBus').outputs.queueName.value]", Template.ModuleParameter("containerapps", "jobQueueName")!.ToString());
        Assert.Equal("[reference('serviceBus').outputs.namespaceName.value]", Template.ModuleParameter("containerapps", "serviceBusNamespaceName")!.ToString());
        Assert.Equal("[reference('serviceBus').outputs.queueName.value]", Template.ModuleParameter("functionapp", "jobQueueName")!.ToString());
        Assert.Equal("jobs", (string)Template.Root["variables"]!["jobQueueName"]!);
    }

    [Fact]
    public void The_scale_rule_identity_is_on_the_api_version_it_is_documented_to_work_with()
    {
        var job = Template.ModuleResource("containerapps", "Microsoft.App/jobs");
        // JobScaleRule.identity arrived with 2024-02-02-preview (microsoft/azure-container-apps#592); 2024-03-01 lacks
        // it and 2025-01-01 has reports of it not attaching.
        Assert.Equal("2024-02-02-preview", (string)job["apiVersion"]!);
        var rule = Configuration["eventTriggerConfig"]!["scale"]!["rules"]!.AsArray().Single()!;
        Assert.Equal("[parameters('scalerIdentityId')]", (string)rule["identity"]!);
        // The identity the rule names is one the job carries.
        var identities = job["identity"]!["userAssignedIdentities"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("[format('{0}', parameters('scalerIdentityId'))]", identities);
    }

    [Fact]
    public void No_gpu_execution_can_start_before_the_runner_image_exists()
    {
        // The job exists only once an image is given, and main passes the image as is: no placeholder that never takes a
        // message while KEDA starts an execution at every poll.
        var job = Template.ModuleResource("containerapps", "Microsoft.App/jobs");
        Assert.Equal("[not(empty(parameters('runnerImage')))]", (string)job["condition"]!);
        Assert.Equal("[parameters('runnerImage')]", Template.ModuleParameter("containerapps", "runnerImage")!.ToString());
        Assert.Equal("", (string)Template.Root["parameters"]!["runnerImage"]!["defaultValue"]!);
        Assert.DoesNotContain("quickstart", Template.Json);
        Assert.Equal("[if(empty(parameters('runnerImage')), '', parameters('jobName'))]",
            (string)Template.ModuleTemplate("containerapps")["outputs"]!["jobName"]!["value"]!);
    }

    [Fact]
    public void One_runner_at_a_time_by_default_to_fit_the_default_gpu_quota()
    {
        Assert.Equal(1, (int)Template.Root["parameters"]!["maxRunners"]!["defaultValue"]!);
        Assert.Equal("[parameters('maxRunners')]", Template.ModuleParameter("containerapps", "maxExecutions")!.ToString());
        Assert.Equal("[parameters('maxExecutions')]", (string)Configuration["eventTriggerConfig"]!["scale"]!["maxExecutions"]!);
    }

    [Fact]
    public void The_gpu_profile_is_the_one_requested()
    {
        var main = Template.Root["parameters"]!["gpuWorkloadProfile"]!;
        Assert.Equal(["Consumption-GPU-NC24-A100", "Consumption-GPU-NC8as-T4"], main["allowedValues"]!.AsArray().Select(v => (string)v!).Order());
        Assert.Equal("[parameters('gpuWorkloadProfile')]", Template.ModuleParameter("containerapps", "gpuWorkloadProfileType")!.ToString());

        var profiles = Template.ModuleResource("containerapps", "Microsoft.App/managedEnvironments")["properties"]!["workloadProfiles"]!.AsArray();
        var job = Template.ModuleResource("containerapps", "Microsoft.App/jobs")["properties"]!;
        Assert.Equal("[variables('gpuProfileName')]", (string)job["workloadProfileName"]!);
        var jobProfile = profiles.Single(p => (string)p!["name"]! == "[variables('gpuProfileName')]")!;
        Assert.Equal("[parameters('gpuWorkloadProfileType')]", (string)jobProfile["workloadProfileType"]!);

        // The replica asks for what the chosen profile offers.
        var sizes = Template.ModuleTemplate("containerapps")["variables"]!["gpuReplicaResources"]!.AsObject();
        Assert.Equal(["Consumption-GPU-NC24-A100", "Consumption-GPU-NC8as-T4"], sizes.Select(s => s.Key).Order());
        Assert.Equal("[variables('gpuReplicaResources')[parameters('gpuWorkloadProfileType')]]", DeployedSettings.RunnerContainer(Template)["resources"]!.ToString());
    }

    [Fact]
    public void Executions_last_long_enough_for_training_and_retries_stay_with_the_queue()
    {
        Assert.Equal("[parameters('replicaTimeoutSeconds')]", (string)Configuration["replicaTimeout"]!);
        Assert.Equal("[parameters('runnerTimeoutSeconds')]", Template.ModuleParameter("containerapps", "replicaTimeoutSeconds")!.ToString());
        Assert.True((int)Template.Root["parameters"]!["runnerTimeoutSeconds"]!["defaultValue"]! >= 12 * 3600);
        Assert.InRange((int)Configuration["replicaRetryLimit"]!, 0, 1);
    }

    [Fact]
    public void The_queue_locks_for_five_minutes_dead_letters_and_detects_duplicates()
    {
        var queue = Template.ModuleResource("servicebus", "Microsoft.ServiceBus/namespaces/queues")["properties"]!;
        Assert.Equal("PT5M", (string)queue["lockDuration"]!);
        Assert.Equal("[parameters('maxDeliveryCount')]", (string)queue["maxDeliveryCount"]!);
        Assert.True((int)Template.ModuleTemplate("servicebus")["parameters"]!["maxDeliveryCount"]!["defaultValue"]! > 3);
        Assert.True((bool)queue["deadLetteringOnMessageExpiration"]!);
        Assert.True((bool)queue["requiresDuplicateDetection"]!);
        Assert.False(string.IsNullOrEmpty((string?)queue["duplicateDetectionHistoryTimeWindow"]));
        Assert.False((bool)queue["requiresSession"]!);
        Assert.Equal("Standard", (string)Template.ModuleResource("servicebus", "Microsoft.ServiceBus/namespaces")["sku"]!["name"]!);
    }
}
