using BertPlatform.GpuRunner.Worker;
using BertPlatform.Shared.Contracts;

namespace BertPlatform.GpuRunner.Cli;

/// <summary>Job progress for verbs that run a job's work without a queue: each report is a line on standard error.</summary>
public sealed class ConsoleJobProgress : IJobProgress
{
    public Task ReportAsync(JobEventKind kind, string message, double? fraction, IReadOnlyDictionary<string, double>? metrics, CancellationToken ct)
    {
        Console.Error.WriteLine($"{kind.WireName()}: {message}");
        return Task.CompletedTask;
    }
}
