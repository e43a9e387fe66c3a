using System.Text.Json.Serialization;

namespace BertPlatform.Shared.Contracts;

/// <summary>
/// A job as stored in the <c>jobs</c> table: a fine-tuning job, or a batch prediction (<see cref="Kind"/>). The lease fields say which runner trains it and until when
/// that claim holds without a heartbeat; another runner may take the job over only once the lease has expired.
/// </summary>
public sealed record JobRecord
{
    public required string Id { get; init; }

    public required string Owner { get; init; }

    public JobKind Kind { get; init; } = JobKind.FineTuning;

    /// <summary>
    /// The training spec. A batch prediction carries one too, so that every job reads alike: its model's task,
    /// <c>baseModel</c> <c>model:{id}</c> (the model it runs) and <c>trainingDataset</c> (the dataset it reads).
    /// </summary>
    public required JobSpec Spec { get; init; }

    /// <summary>Batch predictions: what was asked.</summary>
    public BatchPredictionSpec? BatchPrediction { get; init; }

    /// <summary>Batch predictions, once succeeded: the predictions file.</summary>
    public BatchPredictionOutput? Output { get; init; }

    public JobStatus Status { get; init; } = JobStatus.Queued;

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Share of the training done, 0..1, as last reported by the trainer.</summary>
    public double? Progress { get; init; }

    /// <summary>The latest metrics reported (training loss, evaluation scores).</summary>
    public IReadOnlyDictionary<string, double>? Metrics { get; init; }

    /// <summary>Why the job failed (final) or why its last attempt failed (while it is retried).</summary>
    public string? Error { get; init; }

    /// <summary>Set by <c>POST /api/jobs/{id}/cancel</c> on a running job; the runner stops within one step.</summary>
    public bool CancelRequested { get; init; }

    /// <summary>Id of the runner that holds the job while it is running.</summary>
    public string? LeaseOwner { get; init; }

    /// <summary>When the holder's claim lapses unless it renews it with a heartbeat.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>How many times a runner has claimed the job; bounded by the runner's maximum attempts.</summary>
    public int Attempts { get; init; }

    /// <summary>What the data looks like to the base model's tokenizer, computed when the job was submitted (text classification).</summary>
    public Insight.PreflightReport? Preflight { get; init; }

    /// <summary>Id of the published model once the job has succeeded (the job id).</summary>
    public string? ModelId { get; init; }

    /// <summary>The table entity's ETag, for optimistic concurrency; not part of the API.</summary>
    [JsonIgnore]
    public string? ETag { get; init; }

    public bool IsLeaseHeldAt(DateTimeOffset now) =>
        Status == JobStatus.Running && LeaseOwner is not null && LeaseExpiresAt is { } expiry && expiry > now;
}
