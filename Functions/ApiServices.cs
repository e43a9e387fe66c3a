using BertPlatform.Functions.Datasets;
using BertPlatform.Functions.Http;
using BertPlatform.Functions.Jobs;
using BertPlatform.Functions.Models;
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
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.Section));
        services.AddSingleton<CallerIdentity>();
        services.AddSingleton<JobSpecValidator>();
        services.AddTransient<DatasetFunctions>();
        services.AddTransient<JobFunctions>();
        services.AddTransient<ModelFunctions>();
        services.AddOptions<PredictionOptions>().Bind(configuration.GetSection(PredictionOptions.Section));
        services.AddSingleton<ModelSessionCache>();
        services.AddTransient<PredictFunctions>();
        services.AddHostedService<StorageStartup>();
        services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(json => PlatformJson.Configure(json.JsonSerializerOptions));
        // Both hosts run Kestrel, whose default body limit (~30 MB) would cut dataset uploads short.
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<ApiOptions>>(
            (kestrel, api) => kestrel.Limits.MaxRequestBodySize = api.Value.MaxUploadBytes);
        return services;
    }

    /// <summary>Creates missing containers, tables and queues before requests arrive.</summary>
    private sealed class StorageStartup(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => services.EnsurePlatformStorageAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
