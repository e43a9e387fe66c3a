namespace BertPlatform.GpuRunner.Worker;

/// <summary>Settings of the job worker (configuration section <c>Runner</c>, e.g. <c>Runner__ExitWhenIdle</c>).</summary>
public sealed class RunnerOptions
{
    public const string Section = "Runner";

    /// <summary>auto | cpu | cuda: where the trainer runs.</summary>
    public string Device { get; set; } = "auto";

    /// <summary>Scratch space for base models, data, checkpoints and outputs; one subfolder per job, removed after it.</summary>
    public string WorkDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "bert-runner");

    /// <summary>
    /// The most local disk one job may use, in GiB, below the free space of <see cref="WorkDirectory"/>'s drive (which
    /// is always checked); a job whose estimated peak (<see cref="WorkspaceBudget"/>) exceeds it fails before any
    /// download. Null: the free space alone decides.
    /// </summary>
    public double? WorkspaceBudgetGiB { get; set; }

    public long? WorkspaceBudgetBytes => WorkspaceBudgetGiB is { } gib ? (long)(gib * (1L << 30)) : null;

    /// <summary>Exit when the queue has nothing to hand out (true in Azure: one Container Apps execution per message).</summary>
    public bool ExitWhenIdle { get; set; }

    /// <summary>Exit after handling one message (the <c>--once</c> flag).</summary>
    public bool Once { get; set; }

    /// <summary>How long one receive waits for a message.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a claim on a job holds without a heartbeat. The runner renews it every third of this; a runner
    /// that dies lets it lapse, and only then may another runner take the job over.
    /// </summary>
    public TimeSpan JobLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the runner reads the job record for a cancel request (so a cancel lands within a step or two).</summary>
    public TimeSpan CancelPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Claims a job may take before it is failed for good (crashes and transient errors count; a graceful shutdown
    /// does not). Keep it below the Service Bus queue's MaxDeliveryCount so the runner, not the broker, ends the job.
    /// </summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Identifies this runner in job leases; defaults to host name, process id and a random suffix.</summary>
    public string? RunnerId { get; set; }
}
