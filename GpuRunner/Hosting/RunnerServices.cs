using BertPlatform.GpuRunner.Modeling;
using BertPlatform.GpuRunner.Tasks;
using BertPlatform.GpuRunner.Worker;
using BertPlatform.Shared.Configuration;
using BertPlatform.Shared.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BertPlatform.GpuRunner.Hosting;

/// <summary>
/// The runner's services from configuration (environment variables such as <c>Storage__ConnectionString</c>,
/// <c>JobQueue__Transport</c>, <c>Runner__JobLease</c>): the same storage and queue registration as the API, the
/// worker, and the executor that trains on this machine's device. Options are checked when the host starts.
/// </summary>
public static class RunnerServices
{
    public static IServiceCollection AddRunner(this IServiceCollection services, IConfiguration configuration, IJobExecutor? executor = null)
    {
        services.AddPlatformStorage(configuration);
        services.AddOptions<RunnerOptions>().Bind(configuration.GetSection(RunnerOptions.Section))
            .Validate(o => o.Device.Trim().ToLowerInvariant() is "auto" or "cpu" or "cuda" || o.Device.Trim().StartsWith("cuda:", StringComparison.OrdinalIgnoreCase),
                "Runner__Device must be auto, cpu, cuda or cuda:N.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.WorkDirectory), "Runner__WorkDirectory must name a folder.")
            .Validate(o => o.PollInterval > TimeSpan.Zero, "Runner__PollInterval must be positive.")
            .Validate(o => o.CancelPollInterval > TimeSpan.Zero, "Runner__CancelPollInterval must be positive.")
            .Validate(o => o.JobLease > o.CancelPollInterval, "Runner__JobLease must be longer than Runner__CancelPollInterval, or the lease lapses between heartbeats.")
            .Validate(o => o.MaxAttempts >= 1, "Runner__MaxAttempts must be at least 1.")
            .ValidateOnStart();
        services.AddOptions<JobQueueOptions>()
            .Validate(o => !string.IsNullOrWhiteSpace(o.Name), "JobQueue__Name must name a queue.")
            .Validate(o => o.MessageLease > TimeSpan.Zero, "JobQueue__MessageLease must be positive.")
            .Validate(o => o.Transport != JobQueueTransport.ServiceBus || !string.IsNullOrWhiteSpace(o.ServiceBusNamespace),
                "JobQueue__ServiceBusNamespace is required when JobQueue__Transport is ServiceBus.")
            .ValidateOnStart();
        if (executor is null)
            services.AddSingleton<IJobExecutor>(sp =>
            {
                var device = Devices.Resolve(sp.GetRequiredService<IOptions<RunnerOptions>>().Value.Device);
                if (device.type == TorchSharp.DeviceType.CPU)
                    sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RunnerServices)).LogInformation(
                        "Training on the CPU with {Threads} threads; MKL's matrix kernels chosen {Kernels}",
                        TorchSharp.torch.get_num_threads(), MklVendorDispatch.ChooseKernelsByInstructionSet());
                return new TaskExecutor(device);
            });
        else
            services.AddSingleton(executor);
        services.AddSingleton<JobWorker>();
        services.AddHostedService<JobWorkerService>();
        return services;
    }
}
