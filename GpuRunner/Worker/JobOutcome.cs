namespace BertPlatform.GpuRunner.Worker;

/// <summary>The final metrics of a finished job (also written by the executor to metrics.json).</summary>
public sealed record JobOutcome(IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>How the executor's wall time split (time_*_seconds), reported in the job's final event.</summary>
    public IReadOnlyDictionary<string, double>? WallTime { get; init; }
}
