using BertPlatform.Shared.Contracts;

namespace BertPlatform.GpuRunner.Worker;

/// <summary>
/// Where an executor reports how training goes. Each report becomes a job event; the job record keeps the latest
/// fraction and metrics.
/// </summary>
public interface IJobProgress
{
    Task ReportAsync(JobEventKind kind, string message, double? fraction, IReadOnlyDictionary<string, double>? metrics, CancellationToken ct);
}
