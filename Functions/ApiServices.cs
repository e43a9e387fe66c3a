using BertPlatform.Functions.Datasets;
using BertPlatform.Functions.Http;
using BertPlatform.Functions.Jobs;
using BertPlatform.Functions.Models;
using BertPlatform.Shared.Configuration;
using BertPlatform.Functions.OpenApi;
using BertPlatform.Functions.WebConsole;
using BertPlatform.Functions.BatchPredictions;
using BertPlatform.Functions.Predictions;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BertPlatform.Functions;

/// <summary>
/// Everything the API needs, registered once for both hosts: the Functions worker (Program.cs) and the local
/// ASP.NET Core host that serves the same function classes without Core Tools.
/// </summary>
public static class ApiServices
{
    public static IServiceCollection AddBertPlatformApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPlatformStorage(configuration);
        // A malformed key-owner map stops the start with the entry named (KeyOwnerMap throws), not the first request.
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.Section))
            .Validate(api => KeyOwnerMap.Parse(api.KeyOwners) is not null).ValidateOnStart();
        services.AddSingleton<CallerIdentity>();
        services.AddSingleton<JobSpecValidator>();
        services.AddTransient<DatasetFunctions>();
        services.AddTransient<DirectUploadFunctions>();
        services.AddTransient<UploadProcessorFunction>();
        services.AddSingleton<UploadSas>();
        services.AddSingleton<UploadQueue>();
        services.AddSingleton<UploadValidation>();
        // The upload queue's trigger listens on the Functions host's storage (AzureWebJobsStorage), the platform's
        // own account: without a queue endpoint of its own, the API sends to that one.
        services.PostConfigure<StorageOptions>(storageOptions =>
            storageOptions.QueueServiceUri ??= configuration["AzureWebJobsStorage:queueServiceUri"] is { Length: > 0 } uri ? new Uri(uri) : null);
        services.AddSingleton<Insight.BaseModelTokenizers>();
        services.AddSingleton<Insight.PreflightReports>();
        services.AddTransient<Insight.DatasetReportFunction>();
        services.AddTransient<JobFunctions>();
        services.AddTransient<JobSubmission>();
        services.AddTransient<BatchPredictionFunctions>();
        services.AddTransient<ModelFunctions>();
        services.AddTransient<OpenApiFunctions>();
        services.AddTransient<ConsoleFunctions>();
        services.AddOptions<PredictionOptions>().Bind(configuration.GetSection(PredictionOptions.Section));
        services.AddSingleton<ModelSessionCache>();
        services.AddTransient<PredictFunctions>();
        services.AddHostedService<StorageStartup>();
        services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(json => PlatformJson.Configure(json.JsonSerializerOptions));
        // Both hosts run Kestrel, whose default body limit (~30 MB) would cut dataset uploads short. The upload itself
        // counts the file's bytes and answers a problem; the server's limit only has to be above that, with room for
        // a multipart envelope.
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<ApiOptions>>(
            (kestrel, api) => kestrel.Limits.MaxRequestBodySize = api.Value.MaxHttpUploadBytes + MultipartEnvelopeBytes);
        return services;
    }

    private const long MultipartEnvelopeBytes = 1024 * 1024;

    /// <summary>Creates missing containers, tables and queues before requests arrive.</summary>
    private sealed class StorageStartup(IServiceProvider services) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await services.EnsurePlatformStorageAsync(cancellationToken);
            if (services.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString is { Length: > 0 })
                await services.GetRequiredService<UploadQueue>().EnsureCreatedAsync(cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
