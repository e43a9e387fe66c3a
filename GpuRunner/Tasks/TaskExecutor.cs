using BertPlatform.GpuRunner.Worker;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tasks;

/// <summary>Runs a job on this machine's device with its task's definition.</summary>
public sealed class TaskExecutor(Device device) : IJobExecutor
{
    public Task<JobOutcome> ExecuteAsync(JobExecution execution, CancellationToken cancellationToken) =>
        TaskDefinitions.For(execution.Spec.Task).RunAsync(execution, device, cancellationToken);
}
