using BertPlatform.Shared.Configuration;
using BertPlatform.Shared.Queueing;
using BertPlatform.Shared.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
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
        services.AddSingleton(sp => new StorageClients(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.AddSingleton<StorageInitializer>();
        services.AddSingleton<DatasetRepository>();
        services.AddSingleton<JobRepository>();
        services.AddSingleton<JobEventLog>();
        services.AddSingleton<ModelRepository>();
        services.AddSingleton(sp => JobQueueFactory.Create(
            sp.GetRequiredService<IOptions<JobQueueOptions>>().Value, sp.GetRequiredService<StorageClients>()));
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
}
