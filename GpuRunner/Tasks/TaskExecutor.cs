using BertPlatform.GpuRunner.BatchPrediction;
using BertPlatform.GpuRunner.Worker;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tasks;

/// <summary>Runs a job on this machine's device: a fine-tuning job with its task's definition, or a batch prediction.</summary>
public sealed class TaskExecutor(Device device) : IJobExecutor
{
    public Task<JobOutcome> ExecuteAsync(JobExecution execution, CancellationToken cancellationToken) =>
        execution.Kind == Shared.Contracts.JobKind.BatchPrediction
            ? BatchPredictionRun.RunAsync(execution, device, cancellationToken)
            : TaskDefinitions.For(execution.Spec.Task).RunAsync(execution, device, cancellationToken);
}
