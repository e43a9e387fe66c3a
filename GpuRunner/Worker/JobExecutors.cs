using BertPlatform.Shared.Contracts;

namespace BertPlatform.GpuRunner.Worker;

/// <summary>Picks the trainer for a job's task: the one place where executors are chosen.</summary>
public static class JobExecutors
{
    public static IJobExecutor For(TaskType task) => task switch
    {
        _ => throw new JobFailedException($"This runner has no trainer for the task {task}."),
    };
}
