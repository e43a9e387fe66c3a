using Microsoft.Extensions.Configuration;

namespace BertPlatform.Shared.Configuration;

/// <summary>
/// The settings each app needs when it runs in Azure, one catalog for the app code (start-up validation) and the
/// Bicep templates (Infra.Tests checks the templates set exactly these). Locally the apps run on Azurite with
/// <c>Storage__ConnectionString</c> and the storage-queue transport instead, and these lists do not apply.
/// </summary>
public static class AppSettings
{
    public static readonly AppSetting StorageBlobServiceUri = AppSetting.ForOption(StorageOptions.Section,
        nameof(StorageOptions.BlobServiceUri), "Blob endpoint (datasets, models, checkpoints), reached with the managed identity.");

    public static readonly AppSetting StorageTableServiceUri = AppSetting.ForOption(StorageOptions.Section,
        nameof(StorageOptions.TableServiceUri), "Table endpoint (dataset, job, event and model records), reached with the managed identity.");

    public static readonly AppSetting StorageQueueServiceUri = AppSetting.ForOption(StorageOptions.Section,
        nameof(StorageOptions.QueueServiceUri), "Queue endpoint (the API's dataset-upload queue), reached with the managed identity.");

    public static readonly AppSetting JobQueueTransport = AppSetting.ForOption(JobQueueOptions.Section,
        nameof(JobQueueOptions.Transport), "Job transport; Service Bus in Azure.", nameof(Configuration.JobQueueTransport.ServiceBus));

    public static readonly AppSetting JobQueueName = AppSetting.ForOption(JobQueueOptions.Section,
        nameof(JobQueueOptions.Name), "Service Bus queue the API sends jobs to and the runners receive from.");

    public static readonly AppSetting JobQueueServiceBusNamespace = AppSetting.ForOption(JobQueueOptions.Section,
        nameof(JobQueueOptions.ServiceBusNamespace), "Fully qualified Service Bus namespace ({name}.servicebus.windows.net).");

    public static readonly AppSetting AzureClientId = new("AZURE_CLIENT_ID",
        "Client id of the user-assigned managed identity DefaultAzureCredential signs in with.");

    /// <summary>The HTTP API on Azure Functions: the app's own settings plus what the Functions host reads.</summary>
    public static IReadOnlyList<AppSetting> FunctionsApp { get; } =
    [
        StorageBlobServiceUri,
        StorageTableServiceUri,
        StorageQueueServiceUri,
        JobQueueTransport,
        JobQueueName,
        JobQueueServiceBusNamespace,
        AzureClientId,
        new("AzureWebJobsStorage__credential", "Functions host storage signs in with a managed identity.", "managedidentity"),
        new("AzureWebJobsStorage__clientId", "Client id of the identity the Functions host uses for its storage."),
        new("AzureWebJobsStorage__blobServiceUri", "Blob endpoint of the Functions host's storage (keys, leases)."),
        new("AzureWebJobsStorage__queueServiceUri", "Queue endpoint of the Functions host's storage (the dataset-upload queue trigger reads there)."),
        new("AzureWebJobsStorage__tableServiceUri", "Table endpoint of the Functions host's storage."),
        new("APPLICATIONINSIGHTS_CONNECTION_STRING", "Application Insights ingestion endpoint and resource id (not a secret: local auth is off)."),
        new("APPLICATIONINSIGHTS_AUTHENTICATION_STRING", "Entra ID telemetry: ClientId={identity};Authorization=AAD."),
        new("Api__TrustClientPrincipalHeader", "True where Entra ID sign-in (App Service Authentication) sets x-ms-client-principal; False otherwise."),
        new("Api__KeyOwners", "Function-key owners by key digest (owner=sha256hex[,...];...); empty: each key is its own owner.", Optional: true),
    ];

    /// <summary>The GPU runner as a Container Apps job: one job per execution.</summary>
    public static IReadOnlyList<AppSetting> GpuRunner { get; } =
    [
        StorageBlobServiceUri,
        StorageTableServiceUri,
        JobQueueTransport,
        JobQueueName,
        JobQueueServiceBusNamespace,
        AzureClientId,
        AppSetting.ForOption(RunnerSection, "Device", "Where training runs: auto, cpu or cuda; cuda on the GPU profile.", "cuda"),
        AppSetting.ForOption(RunnerSection, "WorkDirectory", "Scratch folder for base models, data, checkpoints and outputs."),
        AppSetting.ForOption(RunnerSection, "ExitWhenIdle", "Exit when the queue is empty: each Container Apps execution takes one job.", "true"),
    ];

    /// <summary>Configuration section of the runner's options (RunnerOptions lives in GpuRunner).</summary>
    public const string RunnerSection = "Runner";

    /// <summary>The settings of <paramref name="required"/> that have no non-blank value in <paramref name="configuration"/>.</summary>
    public static IReadOnlyList<AppSetting> FindMissing(IConfiguration configuration, IEnumerable<AppSetting> required) =>
        required.Where(s => !s.Optional && string.IsNullOrWhiteSpace(configuration[s.ConfigurationKey])).ToList();

    /// <summary>Fails start-up with every missing setting named and explained, instead of failing at the first request.</summary>
    public static void EnsurePresent(IConfiguration configuration, IEnumerable<AppSetting> required, string appName)
    {
        var missing = FindMissing(configuration, required);
        if (missing.Count == 0) return;
        throw new InvalidOperationException(
            $"{appName} is missing {missing.Count} required setting(s):" + Environment.NewLine +
            string.Join(Environment.NewLine, missing.Select(s => $"  {s.Name}: {s.Meaning}")));
    }

    /// <summary>
    /// The Azure deployment is the one that carries jobs on Service Bus; locally (Azurite, Core Tools) only a
    /// connection string is needed, so the catalogue is enforced only there.
    /// </summary>
    public static bool IsAzureDeployment(IConfiguration configuration) =>
        string.Equals(configuration[JobQueueTransport.ConfigurationKey], nameof(Configuration.JobQueueTransport.ServiceBus), StringComparison.OrdinalIgnoreCase);

    /// <summary>At start-up in Azure: every setting the templates promise must be there.</summary>
    public static void EnsurePresentInAzure(IConfiguration configuration, IEnumerable<AppSetting> required, string appName)
    {
        if (IsAzureDeployment(configuration)) EnsurePresent(configuration, required, appName);
    }
}
