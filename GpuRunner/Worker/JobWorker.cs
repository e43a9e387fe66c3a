using BertPlatform.Shared.Configuration;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Queueing;
using BertPlatform.Shared.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BertPlatform.GpuRunner.Worker;

/// <summary>
/// The runner's loop: receive a job message, claim the job, train it, publish the model, settle the message.
/// <para>
/// Delivery rules. The job record's lease, not the message, decides who trains: a runner trains only after a
/// conditional (ETag) claim and stops the moment a heartbeat shows it lost the lease. A message is completed only
/// once its job is final; while another runner holds the job, a duplicate message is re-sent with a delay (send
/// first, then complete, so nothing is lost). A runner that dies lets both its message lock and its job lease
/// lapse; the message comes back and the next runner takes the job over and resumes from its checkpoint. Every
/// claim counts an attempt; after <see cref="RunnerOptions.MaxAttempts"/> the job fails with its last error and the
/// message is dead-lettered. A graceful shutdown (SIGTERM) cancels training, lets the trainer checkpoint, gives the
/// job back without counting the attempt and abandons the message for immediate redelivery.
/// </para>
/// </summary>
public sealed class JobWorker(
    IJobQueue queue, JobRepository jobs, JobEventLog events, DatasetRepository datasets, ModelRepository models,
    StorageClients storage, IJobExecutor executor, IOptions<RunnerOptions> runnerOptions, IOptions<JobQueueOptions> jobQueueOptions,
    TimeProvider time, ILogger<JobWorker> logger)
{
    private readonly RunnerOptions options = runnerOptions.Value;
    private readonly JobQueueOptions queueOptions = jobQueueOptions.Value;

    public string RunnerId { get; } = runnerOptions.Value.RunnerId ?? $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}"[..^24];

    /// <summary>Handles messages until stopped, or until idle / after one message when so configured; returns how many it handled.</summary>
    public async Task<int> RunAsync(CancellationToken stopping)
    {
        logger.LogInformation("Runner {RunnerId} waiting for jobs", RunnerId);
        var handled = 0;
        while (!stopping.IsCancellationRequested)
        {
            IReceivedJobMessage? message;
            try
            {
                message = await queue.ReceiveAsync(options.PollInterval, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            if (message is null)
            {
                if (options.ExitWhenIdle) break;
                continue;
            }
            try
            {
                await HandleAsync(message, stopping);
            }
            catch (Exception e)
            {
                // Storage unreachable or similar: the message comes back once its lease lapses, so nothing is lost.
                logger.LogError(e, "Could not handle the message of job {JobId}", message.Message.JobId);
                await SettleAsync(message.AbandonAsync);
            }
            handled++;
            if (options.Once) break;
        }
        logger.LogInformation("Runner {RunnerId} stops after {Handled} message(s)", RunnerId, handled);
        return handled;
    }

    /// <summary>Decides what one delivery means for its job and acts on it; never throws for a job's failure.</summary>
    public async Task HandleAsync(IReceivedJobMessage message, CancellationToken stopping)
    {
        var (jobId, owner) = (message.Message.JobId, message.Message.Owner);
        await using var messageLease = new MessageLeaseKeeper(message, queueOptions.MessageLease / 3, time, logger);
        var job = await jobs.GetAsync(owner, jobId, CancellationToken.None);
        var now = time.GetUtcNow();
        if (job is null)
        {
            await message.DeadLetterAsync($"Job {jobId} of {owner} does not exist.", CancellationToken.None);
            return;
        }
        if (job.Status.IsFinal())
        {
            logger.LogInformation("Job {JobId} is already {Status}; dropping the duplicate message", jobId, job.Status);
            await message.CompleteAsync(CancellationToken.None);
            return;
        }
        if (job.IsLeaseHeldAt(now) && job.LeaseOwner != RunnerId)
        {
            await DeferAsync(message, job, now);
            return;
        }
        if (job.CancelRequested)
        {
            await FinishAsync(job, JobStatus.Cancelled, null, "Cancelled while no runner held it.", anyHolder: true);
            await message.CompleteAsync(CancellationToken.None);
            return;
        }
        if (job.Attempts >= options.MaxAttempts)
        {
            var reason = $"Gave up after {job.Attempts} attempt(s); last error: {job.Error ?? "the runner stopped without reporting one (killed or out of memory)"}";
            await FinishAsync(job, JobStatus.Failed, reason, reason, anyHolder: true);
            await message.DeadLetterAsync(reason, CancellationToken.None);
            return;
        }
        var claimed = await jobs.TryClaimAsync(job, RunnerId, options.JobLease, now, CancellationToken.None);
        if (claimed is null)
        {
            // Another runner claimed it between our read and our write: it is that runner's now.
            var current = await jobs.GetAsync(owner, jobId, CancellationToken.None);
            if (current is not null && !current.Status.IsFinal()) await DeferAsync(message, current, time.GetUtcNow());
            else await message.CompleteAsync(CancellationToken.None);
            return;
        }
        await TrainAsync(message, claimed, stopping);
    }

    private async Task TrainAsync(IReceivedJobMessage message, JobRecord job, CancellationToken stopping)
    {
        logger.LogInformation("Runner {RunnerId} claimed job {JobId} (attempt {Attempt})", RunnerId, job.Id, job.Attempts);
        await events.AppendAsync(job.Id, JobEventKind.Started, $"Runner {RunnerId} started attempt {job.Attempts} of at most {options.MaxAttempts}.", ct: CancellationToken.None);
        var workspace = new JobWorkspace(options.WorkDirectory, job, storage, datasets, models, options.WorkspaceBudgetBytes);
        await using var lease = new JobLeaseKeeper(job, RunnerId, jobs, options, time, logger);
        using var training = CancellationTokenSource.CreateLinkedTokenSource(stopping, lease.CancelRequested, lease.LeaseLost);
        try
        {
            var progress = new JobProgressReporter(job, RunnerId, jobs, events, time);
            var execution = await workspace.PrepareAsync(progress, training.Token);
            var outcome = await executor.ExecuteAsync(execution, training.Token);
            if (job.Kind == JobKind.BatchPrediction)
            {
                await FinishBatchPredictionAsync(message, job, workspace, lease, outcome, training.Token);
                return;
            }
            var publishing = System.Diagnostics.Stopwatch.StartNew();
            var files = await workspace.PublishAsync(training.Token);
            await models.SaveAsync(new ModelRecord
            {
                Id = job.Id, Owner = job.Owner, JobId = job.Id, Task = job.Spec.Task, BaseModel = job.Spec.BaseModel,
                BlobPrefix = StorageNames.TrainedModelPrefix(job.Id), Files = files, Metrics = outcome.Metrics,
                CreatedAt = time.GetUtcNow(),
            }, CancellationToken.None);
            await lease.StopAsync();
            var final = new Dictionary<string, double>(outcome.Metrics) { ["time_publishing_seconds"] = Math.Round(publishing.Elapsed.TotalSeconds, 3) };
            foreach (var (name, seconds) in outcome.WallTime ?? new Dictionary<string, double>()) final[name] = seconds;
            await FinishAsync(job, JobStatus.Succeeded, null,
                $"Published {files.Count} files to models/{StorageNames.TrainedModelPrefix(job.Id)}.", metrics: final);
            await workspace.DeleteCheckpointsAsync(CancellationToken.None);
            await SettleAsync(message.CompleteAsync);
        }
        catch (OperationCanceledException) when (lease.LeaseLost.IsCancellationRequested)
        {
            // Another runner holds the job now, or may once our unrenewed lease lapses: keep a message for the job
            // (re-sent to arrive after that lease) so that whoever holds it next is woken even if ours was the only one.
            var current = await jobs.GetAsync(job.Owner, job.Id, CancellationToken.None);
            if (current is null || current.Status.IsFinal()) await SettleAsync(message.CompleteAsync);
            else await DeferAsync(message, current, time.GetUtcNow());
        }
        catch (OperationCanceledException) when (lease.CancelRequested.IsCancellationRequested)
        {
            await lease.StopAsync();
            await FinishAsync(job, JobStatus.Cancelled, null, "Cancelled on request.");
            await workspace.DeleteCheckpointsAsync(CancellationToken.None);
            await SettleAsync(message.CompleteAsync);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            await ReleaseAsync(job);
            await SettleAsync(message.AbandonAsync);
        }
        catch (Exception e) when (e is JobFailedException || job.Attempts >= options.MaxAttempts)
        {
            logger.LogError(e, "Job {JobId} failed", job.Id);
            var reason = e is JobFailedException ? e.Message : $"Failed after {job.Attempts} attempt(s): {Describe(e)}";
            await lease.StopAsync();
            await FinishAsync(job, JobStatus.Failed, reason, reason);
            await SettleAsync(ct => message.DeadLetterAsync(reason, ct));
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Attempt {Attempt} of job {JobId} failed; it will be retried", job.Attempts, job.Id);
            await RetryLaterAsync(job, Describe(e));
            await SettleAsync(message.AbandonAsync);
        }
        finally
        {
            workspace.Clean();
        }
    }

    /// <summary>A batch prediction publishes its predictions file, not a model; the job records where it is.</summary>
    private async Task FinishBatchPredictionAsync(IReceivedJobMessage message, JobRecord job, JobWorkspace workspace, JobLeaseKeeper lease,
        JobOutcome outcome, CancellationToken ct)
    {
        var publishing = System.Diagnostics.Stopwatch.StartNew();
        var output = await workspace.PublishPredictionsAsync(BatchPrediction.BatchPredictionRun.OutputFile, ct);
        await lease.StopAsync();
        var final = new Dictionary<string, double>(outcome.Metrics) { ["time_publishing_seconds"] = Math.Round(publishing.Elapsed.TotalSeconds, 3) };
        foreach (var (name, seconds) in outcome.WallTime ?? new Dictionary<string, double>()) final[name] = seconds;
        await FinishAsync(job, JobStatus.Succeeded, null,
            $"Wrote {output.Predictions} predictions ({output.Bytes} bytes) to predictions/{output.BlobName}.", metrics: final, output: output);
        await SettleAsync(message.CompleteAsync);
    }

    /// <summary>A duplicate delivery while another runner holds the job: check again once that lease could have lapsed.</summary>
    private async Task DeferAsync(IReceivedJobMessage message, JobRecord job, DateTimeOffset now)
    {
        var wait = (job.LeaseExpiresAt ?? now) - now + TimeSpan.FromSeconds(1);
        logger.LogInformation("Job {JobId} is held by {Holder}; checking again in {Wait}", job.Id, job.LeaseOwner, wait);
        await queue.SendAsync(message.Message, wait, CancellationToken.None);
        await SettleAsync(message.CompleteAsync);
    }

    /// <summary>Final state, written only while this runner holds the job (or, for a job nobody holds, by anyone).</summary>
    private async Task FinishAsync(JobRecord job, JobStatus status, string? error, string eventMessage, bool anyHolder = false,
        IReadOnlyDictionary<string, double>? metrics = null, BatchPredictionOutput? output = null)
    {
        var (_, applied) = await jobs.UpdateAsync(job.Owner, job.Id, j => j.Status.IsFinal() || (!anyHolder && j.LeaseOwner != RunnerId) ? null : j with
        {
            Status = status,
            Error = error,
            CompletedAt = time.GetUtcNow(),
            LeaseOwner = null,
            LeaseExpiresAt = null,
            Progress = status == JobStatus.Succeeded ? 1.0 : j.Progress,
            Metrics = metrics ?? j.Metrics,
            ModelId = status == JobStatus.Succeeded && j.Kind == JobKind.FineTuning ? j.Id : j.ModelId,
            Output = output ?? j.Output,
        }, CancellationToken.None);
        if (applied) await events.AppendAsync(job.Id, JobEventKinds.FinalEventOf(status), eventMessage, metrics: metrics, ct: CancellationToken.None);
    }

    /// <summary>Graceful shutdown: give the job back at once, without spending one of its attempts.</summary>
    private async Task ReleaseAsync(JobRecord job)
    {
        var (_, applied) = await jobs.UpdateAsync(job.Owner, job.Id, j => j.LeaseOwner != RunnerId || j.Status.IsFinal() ? null : j with
        {
            Status = JobStatus.Queued, LeaseOwner = null, LeaseExpiresAt = null, Attempts = Math.Max(0, j.Attempts - 1),
        }, CancellationToken.None);
        if (applied) await events.AppendAsync(job.Id, JobEventKind.Released, $"Runner {RunnerId} is shutting down; the job goes back to the queue.", ct: CancellationToken.None);
    }

    private async Task RetryLaterAsync(JobRecord job, string error)
    {
        var (_, applied) = await jobs.UpdateAsync(job.Owner, job.Id, j => j.LeaseOwner != RunnerId || j.Status.IsFinal() ? null : j with
        {
            Status = JobStatus.Queued, LeaseOwner = null, LeaseExpiresAt = null, Error = error,
        }, CancellationToken.None);
        if (applied) await events.AppendAsync(job.Id, JobEventKind.Retry, $"Attempt {job.Attempts} failed: {error}", ct: CancellationToken.None);
    }

    /// <summary>Settling a message whose lock was already lost fails; the job record is final or deferred either way.</summary>
    private async Task SettleAsync(Func<CancellationToken, Task> settle)
    {
        try
        {
            await settle(CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not settle a job message; it will come back and find its job settled");
        }
    }

    private static string Describe(Exception e) => $"{e.GetType().Name}: {e.Message}";
}
