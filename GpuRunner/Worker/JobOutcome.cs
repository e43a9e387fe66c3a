namespace BertPlatform.GpuRunner.Worker;

/// <summary>The final metrics of a finished job (also written by the executor to metrics.json).</summary>
public sealed record JobOutcome(IReadOnlyDictionary<string, double> Metrics);
