using Azure.Data.Tables;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using BertPlatform.Shared.Configuration;
using BertPlatform.Shared.Queueing;
using BertPlatform.Shared.Storage;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BertPlatform.Shared.Hosting;

/// <summary>Storage, repositories and the job queue, registered the same way by the API hosts and the runner.</summary>
public static class PlatformStorageServices
{
    public static IServiceCollection AddPlatformStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section));
        services.AddOptions<JobQueueOptions>().Bind(configuration.GetSection(JobQueueOptions.Section));
        services.AddSingleton(TimeProvider.System);
        // The Azure SDK's own events reach ILogger through Microsoft.Extensions.Azure; keep its per-request chatter out.
        // Azure.Core logs every non-success response as a warning, the 409s and 404s that CreateIfNotExists and
        // DeleteIfExists expect included; a failure that matters surfaces as an exception, so keep only its errors.
        services.AddLogging(logging => logging.AddFilter("Azure", LogLevel.Warning).AddFilter("Azure.Core", LogLevel.Error));
        services.AddAzureClients(azure =>
        {
            // One credential for every Azure client: the managed identity in Azure (AZURE_CLIENT_ID picks a
            // user-assigned one). Azurite's connection string needs none, and the clients are built on first use.
            azure.UseCredential(new DefaultAzureCredential());
            azure.AddClient<BlobServiceClient, BlobClientOptions>((options, credential, sp) =>
                StorageClients.CreateBlobs(Storage(sp), credential, options));
            azure.AddClient<TableServiceClient, TableClientOptions>((options, credential, sp) =>
                StorageClients.CreateTables(Storage(sp), credential, options));
            azure.AddClient<QueueServiceClient, QueueClientOptions>((options, credential, sp) =>
                StorageClients.CreateQueues(Storage(sp), credential, options));
            azure.AddClient<ServiceBusClient, ServiceBusClientOptions>((options, credential, sp) =>
                JobQueueFactory.CreateServiceBus(sp.GetRequiredService<IOptions<JobQueueOptions>>().Value, credential, options));
        });
        services.AddSingleton(sp => new StorageClients(sp.GetRequiredService<BlobServiceClient>(), sp.GetRequiredService<TableServiceClient>(),
            sp.GetRequiredService<QueueServiceClient>));
        services.AddSingleton<StorageInitializer>();
        services.AddSingleton<DatasetRepository>();
        services.AddSingleton<JobRepository>();
        services.AddSingleton<JobEventLog>();
        services.AddSingleton<ModelRepository>();
        services.AddSingleton(sp => JobQueueFactory.Create(
            sp.GetRequiredService<IOptions<JobQueueOptions>>().Value, sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<ServiceBusClient>));
        return services;
    }

    /// <summary>
    /// On Azurite (a connection string), creates what is missing (containers, tables, the storage queues) before the
    /// first request. In Azure the templates create them, and each identity holds data roles only on the containers
    /// and tables it uses, not the right to create any: there is nothing to do, and trying would be refused.
    /// </summary>
    public static async Task EnsurePlatformStorageAsync(this IServiceProvider services, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(services.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString)) return;
        await services.GetRequiredService<StorageInitializer>().EnsureCreatedAsync(ct);
        if (services.GetRequiredService<IJobQueue>() is StorageJobQueue storageQueue) await storageQueue.EnsureCreatedAsync(ct);
    }

    private static StorageOptions Storage(IServiceProvider services) => services.GetRequiredService<IOptions<StorageOptions>>().Value;
}
