using System.Text.Json;
using BertPlatform.GpuRunner.Worker;
using BertPlatform.Shared.Contracts;

namespace BertPlatform.Integration.Tests;

/// <summary>
/// Executors that stand in for the trainer in worker tests: they exercise the worker's contract (progress,
/// checkpoints, cancellation, output) without TorchSharp, so the delivery rules are tested on their own.
/// </summary>
public sealed class RecordingExecutor(TimeSpan duration) : IJobExecutor
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> executions = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> running = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> maxConcurrent = new();

    public int Executions(string jobId) => executions.GetValueOrDefault(jobId);

    public int MaxConcurrent(string jobId) => maxConcurrent.GetValueOrDefault(jobId);

    /// <summary>Whether each execution found a restored checkpoint, by job.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, bool> FoundCheckpoint { get; } = new();

    /// <summary>The files each execution found restored in its checkpoint directory (relative, '/'-separated, sorted), by job.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<string>> RestoredFiles { get; } = new();

    public static readonly IReadOnlyDictionary<string, double> FinalMetrics = new Dictionary<string, double> { ["accuracy"] = 0.875, ["eval_loss"] = 0.31 };

    public async Task<JobOutcome> ExecuteAsync(JobExecution execution, CancellationToken cancellationToken)
    {
        var id = execution.JobId;
        executions.AddOrUpdate(id, 1, (_, n) => n + 1);
        var now = running.AddOrUpdate(id, 1, (_, n) => n + 1);
        maxConcurrent.AddOrUpdate(id, now, (_, n) => Math.Max(n, now));
        FoundCheckpoint[id] = File.Exists(Path.Combine(execution.CheckpointDirectory, "last", "trainer_state.json"));
        RestoredFiles[id] = Directory.EnumerateFiles(execution.CheckpointDirectory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(execution.CheckpointDirectory, f).Replace(Path.DirectorySeparatorChar, '/')).Order(StringComparer.Ordinal).ToList();
        try
        {
            Assert.True(File.Exists(Path.Combine(execution.BaseModelDirectory, "config.json")), "base model was not downloaded");
            Assert.True(File.Exists(execution.TrainingDataPath), "training data was not downloaded");
            const int steps = 4;
            for (var step = 1; step <= steps; step++)
            {
                await Task.Delay(duration / steps, cancellationToken);
                await execution.Progress.ReportAsync(JobEventKind.Train, $"step {step}/{steps}", (double)step / steps,
                    new Dictionary<string, double> { ["loss"] = 1.0 / step }, cancellationToken);
            }
            await execution.Progress.ReportAsync(JobEventKind.Eval, "evaluated", 1.0, FinalMetrics, cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(execution.OutputDirectory, "config.json"), "{\"architectures\":[\"BertForSequenceClassification\"]}", cancellationToken);
            await File.WriteAllBytesAsync(Path.Combine(execution.OutputDirectory, "model.safetensors"), new byte[1024], cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(execution.OutputDirectory, "metrics.json"), JsonSerializer.Serialize(FinalMetrics), cancellationToken);
            return new JobOutcome(FinalMetrics);
        }
        finally
        {
            running.AddOrUpdate(id, 0, (_, n) => n - 1);
        }
    }
}

/// <summary>
/// Trains "forever": reports a step, saves two checkpoints the way the trainer does (the first with <c>best/</c>, the
/// second <c>last/</c> only, each <c>last/</c> deleted locally once uploaded), and waits for its token.
/// </summary>
public sealed class UntilCancelledExecutor : IJobExecutor
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource> started = new();

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource> stopped = new();

    /// <summary>Completes when the executor's token fired and it stopped training the job.</summary>
    public Task Stopped(string jobId) => stopped.GetOrAdd(jobId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public Task Started(string jobId) => started.GetOrAdd(jobId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public async Task<JobOutcome> ExecuteAsync(JobExecution execution, CancellationToken cancellationToken)
    {
        await execution.Progress.ReportAsync(JobEventKind.Progress, "step 1", 0.01, null, cancellationToken);
        var (best, last) = (Path.Combine(execution.CheckpointDirectory, "best"), Path.Combine(execution.CheckpointDirectory, "last"));
        Directory.CreateDirectory(best);
        await File.WriteAllTextAsync(Path.Combine(best, "config.json"), "{}", cancellationToken);
        Directory.CreateDirectory(last);
        await File.WriteAllTextAsync(Path.Combine(last, "trainer_state.json"), "{\"step\":1}", cancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(last, "optimizer.safetensors"), new byte[64], cancellationToken);
        await execution.SaveCheckpointAsync(["best", "last"], cancellationToken);
        Directory.Delete(last, recursive: true);
        // The second checkpoint wrote no optimizer file (a stale blob must go) and did not beat best/ (its blobs must stay).
        Directory.CreateDirectory(last);
        await File.WriteAllTextAsync(Path.Combine(last, "trainer_state.json"), "{\"step\":2}", cancellationToken);
        await execution.SaveCheckpointAsync(["last"], cancellationToken);
        Directory.Delete(last, recursive: true);
        started.GetOrAdd(execution.JobId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        finally
        {
            stopped.GetOrAdd(execution.JobId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
        throw new InvalidOperationException("unreachable");
    }
}

/// <summary>Fails every attempt the same way, like a trainer hitting a bug.</summary>
public sealed class FailingExecutor : IJobExecutor
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> attempts = new();

    public int Attempts(string jobId) => attempts.GetValueOrDefault(jobId);

    public Task<JobOutcome> ExecuteAsync(JobExecution execution, CancellationToken cancellationToken)
    {
        attempts.AddOrUpdate(execution.JobId, 1, (_, n) => n + 1);
        throw new InvalidOperationException("CUDA error: device-side assert triggered");
    }
}
