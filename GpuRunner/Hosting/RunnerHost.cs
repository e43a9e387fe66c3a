using BertPlatform.GpuRunner.Worker;
using BertPlatform.Shared.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BertPlatform.GpuRunner.Hosting;

/// <summary>
/// The runner's composition root: a Generic Host with configuration from environment variables (then the command
/// line's overrides), console logging, the runner's services, and the console lifetime that turns SIGTERM and
/// Ctrl+C into a graceful stop.
/// </summary>
public static class RunnerHost
{
    public static IHost Build(IEnumerable<KeyValuePair<string, string?>>? overrides = null, IJobExecutor? executor = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddConfiguration(Configuration(overrides));
        AppSettings.EnsurePresentInAzure(builder.Configuration, AppSettings.GpuRunner, "The GPU runner");
        AddConsoleLogging(builder.Logging, builder.Configuration);
        builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
        // A stop waits for the trainer's checkpoint and the job's release, however long the model takes to save.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = Timeout.InfiniteTimeSpan);
        builder.Services.AddRunner(builder.Configuration, executor);
        return builder.Build();
    }

    /// <summary>Services for the verbs that use storage without running the worker (seed-base-model) and for tests.</summary>
    public static ServiceProvider BuildServices(IConfiguration configuration, IJobExecutor? executor = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => AddConsoleLogging(logging, configuration));
        services.AddRunner(configuration, executor);
        return services.BuildServiceProvider();
    }

    /// <summary>Environment variables, then the overrides (command-line flags) on top.</summary>
    public static IConfiguration Configuration(IEnumerable<KeyValuePair<string, string?>>? overrides = null) =>
        new ConfigurationBuilder().AddEnvironmentVariables().AddInMemoryCollection(overrides ?? []).Build();

    private static void AddConsoleLogging(ILoggingBuilder logging, IConfiguration configuration) => logging
        .AddConfiguration(configuration.GetSection("Logging"))
        .AddSimpleConsole(console => { console.SingleLine = true; console.TimestampFormat = "HH:mm:ss "; });
}
