using BertPlatform.Shared.Hosting;
using Microsoft.Extensions.Hosting;

namespace BertPlatform.GpuRunner.Worker;

/// <summary>
/// The job worker as the Generic Host runs it. The host's lifetime owns shutdown: SIGTERM or Ctrl+C cancels the
/// stopping token, the trainer checkpoints at its next step, the worker gives the job back and abandons its message,
/// and only then does the host let the process end. A worker that ends by itself (<c>--once</c>, exit when idle)
/// stops the host.
/// </summary>
public sealed class JobWorkerService(JobWorker worker, IServiceProvider services, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await services.EnsurePlatformStorageAsync(stoppingToken);
            await worker.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Told to stop while storage was still being prepared: nothing was claimed, nothing to give back.
        }
        finally
        {
            lifetime.StopApplication();
        }
    }
}
