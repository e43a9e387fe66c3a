using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Storage;
using Microsoft.Extensions.Logging;

namespace BertPlatform.GpuRunner.Worker;

/// <summary>
/// While a job trains: reads its record every <see cref="RunnerOptions.CancelPollInterval"/> to notice a cancel
/// request, and renews the runner's lease (a conditional write) every third of <see cref="RunnerOptions.JobLease"/>.
/// If the lease turns out to belong to someone else, training must stop at once: two trainers must never run.
/// A runner that cannot reach the table fences itself the same way once its last renewed lease runs out, since
/// another runner may take the job from then on. Every wait and deadline is on the injected clock.
/// </summary>
public sealed class JobLeaseKeeper : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly CancellationTokenSource cancelRequested = new();
    private readonly CancellationTokenSource leaseLost = new();
    private readonly Task loop;

    public JobLeaseKeeper(JobRecord job, string runnerId, JobRepository jobs, RunnerOptions options, TimeProvider time, ILogger logger)
    {
        loop = Task.Run(async () =>
        {
            var nextHeartbeat = time.GetUtcNow() + options.JobLease / 3;
            var leaseValidUntil = job.LeaseExpiresAt ?? time.GetUtcNow() + options.JobLease;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(options.CancelPollInterval, time, stop.Token);
                    var now = time.GetUtcNow();
                    var renew = now >= nextHeartbeat;
                    var (current, _) = await jobs.UpdateAsync(job.Owner, job.Id,
                        j => renew && j.LeaseOwner == runnerId && j.Status == JobStatus.Running ? j with { LeaseExpiresAt = now + options.JobLease } : null,
                        stop.Token);
                    if (renew && current?.LeaseOwner == runnerId)
                    {
                        nextHeartbeat = now + options.JobLease / 3;
                        leaseValidUntil = current.LeaseExpiresAt ?? leaseValidUntil;
                    }
                    if (current is null || current.LeaseOwner != runnerId || current.Status != JobStatus.Running)
                    {
                        logger.LogError("Runner {RunnerId} no longer holds job {JobId} (now {Status}, held by {Holder}); stopping", runnerId, job.Id, current?.Status, current?.LeaseOwner);
                        await leaseLost.CancelAsync();
                        return;
                    }
                    if (current.CancelRequested && !cancelRequested.IsCancellationRequested)
                    {
                        logger.LogInformation("Cancel requested for job {JobId}", job.Id);
                        await cancelRequested.CancelAsync();
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    // A storage hiccup: keep training and try again while the last renewed lease still holds.
                    logger.LogWarning(e, "Heartbeat for job {JobId} failed", job.Id);
                    if (time.GetUtcNow() + options.CancelPollInterval >= leaseValidUntil)
                    {
                        logger.LogError("The lease on job {JobId} lapses before it can be renewed; stopping so no two runners train it", job.Id);
                        await leaseLost.CancelAsync();
                        return;
                    }
                }
            }
        });
    }

    public CancellationToken CancelRequested => cancelRequested.Token;

    public CancellationToken LeaseLost => leaseLost.Token;

    /// <summary>Stops heartbeats before the holder itself ends the job, so the end is not mistaken for a lost lease.</summary>
    public async Task StopAsync()
    {
        if (!stop.IsCancellationRequested) await stop.CancelAsync();
        await loop;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        stop.Dispose();
        cancelRequested.Dispose();
        leaseLost.Dispose();
    }
}
