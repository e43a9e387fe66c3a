using BertPlatform.Shared.Configuration;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Hosting;
using BertPlatform.Shared.Queueing;
using BertPlatform.Shared.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BertPlatform.GpuRunner.Worker;

/// <summary>
/// Composes the runner from configuration (environment variables such as <c>Storage__ConnectionString</c>,
/// <c>JobQueue__Transport</c>, <c>Runner__JobLease</c>): the same storage and queue registration as the API.
/// </summary>
public static class RunnerServices
{
    public static IConfiguration Configuration(IEnumerable<KeyValuePair<string, string?>>? overrides = null) =>
        new ConfigurationBuilder().AddEnvironmentVariables().AddInMemoryCollection(overrides ?? []).Build();

    public static ServiceProvider Build(IConfiguration configuration, Func<TaskType, IJobExecutor>? executors = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging
            .AddConfiguration(configuration.GetSection("Logging"))
            .AddSimpleConsole(console => { console.SingleLine = true; console.TimestampFormat = "HH:mm:ss "; }));
        services.AddPlatformStorage(configuration);
        services.AddOptions<RunnerOptions>().Bind(configuration.GetSection(RunnerOptions.Section));
        services.AddSingleton(sp => new JobWorker(
            sp.GetRequiredService<IJobQueue>(), sp.GetRequiredService<JobRepository>(), sp.GetRequiredService<JobEventLog>(),
            sp.GetRequiredService<DatasetRepository>(), sp.GetRequiredService<ModelRepository>(), sp.GetRequiredService<StorageClients>(),
            executors ?? JobExecutors.ForDevice(sp.GetRequiredService<IOptions<RunnerOptions>>().Value.Device), sp.GetRequiredService<IOptions<RunnerOptions>>().Value,
            sp.GetRequiredService<IOptions<JobQueueOptions>>().Value, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<JobWorker>>()));
        return services.BuildServiceProvider();
    }
}
