using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Storage;

namespace BertPlatform.GpuRunner.Worker;

/// <summary>
/// Turns executor reports into job events, and keeps the job record's progress and latest metrics current
/// (at most every two seconds for plain progress, always for metrics, to spare the table).
/// </summary>
public sealed class JobProgressReporter(JobRecord job, string runnerId, JobRepository jobs, JobEventLog events, TimeProvider time) : IJobProgress
{
    private static readonly TimeSpan RecordUpdateInterval = TimeSpan.FromSeconds(2);
    private DateTimeOffset lastRecordUpdate = DateTimeOffset.MinValue;

    public async Task ReportAsync(JobEventKind kind, string message, double? fraction, IReadOnlyDictionary<string, double>? metrics, CancellationToken ct)
    {
        await events.AppendAsync(job.Id, kind, message, fraction, metrics, ct);
        var now = time.GetUtcNow();
        if (metrics is null && now - lastRecordUpdate < RecordUpdateInterval) return;
        if (fraction is null && metrics is null) return;
        lastRecordUpdate = now;
        await jobs.UpdateAsync(job.Owner, job.Id, j => j.LeaseOwner != runnerId ? null : j with
        {
            Progress = fraction ?? j.Progress,
            Metrics = metrics is null ? j.Metrics : Merge(j.Metrics, metrics),
        }, ct);
    }

    private static Dictionary<string, double> Merge(IReadOnlyDictionary<string, double>? old, IReadOnlyDictionary<string, double> latest)
    {
        var merged = old is null ? new Dictionary<string, double>() : new Dictionary<string, double>(old);
        foreach (var (name, value) in latest) merged[name] = value;
        return merged;
    }
}
