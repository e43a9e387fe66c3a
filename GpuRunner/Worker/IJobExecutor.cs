namespace BertPlatform.GpuRunner.Worker;

/// <summary>
/// Trains one job. The worker prepares every input on local disk and publishes <see cref="JobExecution.OutputDirectory"/>
/// afterwards; the executor only trains. The token fires on a user's cancel request or on SIGTERM: the executor
/// checks it between steps, may save a checkpoint, and then throws <see cref="OperationCanceledException"/>.
/// </summary>
public interface IJobExecutor
{
    Task<JobOutcome> ExecuteAsync(JobExecution execution, CancellationToken cancellationToken);
}
