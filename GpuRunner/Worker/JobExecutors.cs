using BertPlatform.GpuRunner.Modeling;
using BertPlatform.GpuRunner.Tasks;
using BertPlatform.Shared.Contracts;

namespace BertPlatform.GpuRunner.Worker;

/// <summary>Picks the trainer for a job's task: the one place where executors are chosen.</summary>
public static class JobExecutors
{
    /// <summary>Every task trains through the fine-tuning executor, on the device the runner is configured for.</summary>
    public static Func<TaskType, IJobExecutor> ForDevice(string device)
    {
        var resolved = Devices.Resolve(device);
        return _ => new FineTuningExecutor(resolved);
    }
}
