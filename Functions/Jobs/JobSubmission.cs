using BertPlatform.Functions.Http;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Queueing;
using BertPlatform.Shared.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace BertPlatform.Functions.Jobs;

/// <summary>
/// Queues a checked job of any kind: records it as queued, logs its <c>queued</c> event, then sends its message;
/// answers 202 with the job and its URL.
/// </summary>
public sealed class JobSubmission(JobRepository jobs, JobEventLog events, IJobQueue queue, TimeProvider time, ILogger<JobSubmission> logger)
{
    public async Task<IActionResult> QueueAsync(JobRecord record, string queuedMessage, CancellationToken cancellationToken)
    {
        var job = await jobs.CreateAsync(record with { Status = JobStatus.Queued, CreatedAt = time.GetUtcNow() }, cancellationToken);
        await events.AppendAsync(job.Id, JobEventKind.Queued, queuedMessage, ct: cancellationToken);
        try
        {
            await queue.SendAsync(new JobMessage(job.Id, job.Owner), null, cancellationToken);
        }
        catch (Exception e)
        {
            // Without its message nobody would ever run the job: say so on the record rather than leave it queued.
            logger.LogError(e, "Could not queue job {JobId}", job.Id);
            await jobs.UpdateAsync(job.Owner, job.Id, j => j with { Status = JobStatus.Failed, Error = "The job could not be queued: " + e.Message, CompletedAt = time.GetUtcNow() }, CancellationToken.None);
            return Problems.Unavailable("The job queue is not reachable; the job was not queued.");
        }
        logger.LogInformation("Queued job {JobId} ({Kind}) for {Owner}", job.Id, job.Kind, job.Owner);
        return new AcceptedResult($"/api/jobs/{job.Id}", job);
    }
}
