using BertPlatform.GpuRunner.Worker;
using BertPlatform.Shared.Contracts;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tasks;

/// <summary>Runs a job on this machine's device, choosing the task's planner.</summary>
public sealed class FineTuningExecutor(Device device) : IJobExecutor
{
    public Task<JobOutcome> ExecuteAsync(JobExecution execution, CancellationToken cancellationToken) => execution.Spec.Task switch
    {
        TaskType.TextClassification => TextClassificationJob.RunAsync(execution, device, cancellationToken),
        TaskType.TokenClassification => TokenClassificationJob.RunAsync(execution, device, cancellationToken),
        TaskType.QuestionAnswering => QuestionAnsweringJob.RunAsync(execution, device, cancellationToken),
        TaskType.MultipleChoice => MultipleChoiceJob.RunAsync(execution, device, cancellationToken),
        TaskType.Pretraining => PretrainingJob.RunAsync(execution, device, cancellationToken),
        var other => throw new ArgumentOutOfRangeException(nameof(execution), other, "Unknown task."),
    };
}
