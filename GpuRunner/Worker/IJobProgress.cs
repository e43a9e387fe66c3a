namespace BertPlatform.GpuRunner.Worker;

/// <summary>
/// Where an executor reports how training goes. Each report becomes a job event; the job record keeps the latest
/// fraction and metrics. Kinds: <c>progress</c>, <c>train</c>, <c>eval</c>, <c>log</c>.
/// </summary>
public interface IJobProgress
{
    Task ReportAsync(string kind, string message, double? fraction, IReadOnlyDictionary<string, double>? metrics, CancellationToken ct);
}
