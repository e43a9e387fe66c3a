using System.Text.Json;
using System.Text.Json.Serialization;

namespace BertPlatform.Shared.Contracts;

/// <summary>What a job event reports; <see cref="JobEvent.Kind"/> carries the wire name (<c>queued</c>, <c>train</c>, ...).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobEventKind>))]
public enum JobEventKind
{
    /// <summary>The API accepted the job and queued its message.</summary>
    [JsonStringEnumMemberName("queued")] Queued,
    /// <summary>A runner claimed the job and began an attempt.</summary>
    [JsonStringEnumMemberName("started")] Started,
    /// <summary>Plain progress without metrics.</summary>
    [JsonStringEnumMemberName("progress")] Progress,
    /// <summary>Training loss and learning rate every few steps.</summary>
    [JsonStringEnumMemberName("train")] Train,
    /// <summary>An evaluation's metrics.</summary>
    [JsonStringEnumMemberName("eval")] Eval,
    /// <summary>A note from the runner (inputs ready, base model loaded, vocabulary built).</summary>
    [JsonStringEnumMemberName("log")] Log,
    /// <summary>A checkpoint was uploaded; a redelivered job resumes from it.</summary>
    [JsonStringEnumMemberName("checkpoint")] Checkpoint,
    /// <summary>An attempt failed and the job goes back to the queue.</summary>
    [JsonStringEnumMemberName("retry")] Retry,
    /// <summary>The runner shut down and gave the job back without spending an attempt.</summary>
    [JsonStringEnumMemberName("released")] Released,
    /// <summary>A client asked to cancel a running job.</summary>
    [JsonStringEnumMemberName("cancel_requested")] CancelRequested,
    [JsonStringEnumMemberName("succeeded")] Succeeded,
    [JsonStringEnumMemberName("failed")] Failed,
    [JsonStringEnumMemberName("cancelled")] Cancelled,
}

public static class JobEventKinds
{
    /// <summary>The name an event of this kind carries on the wire and in the event table.</summary>
    public static string WireName(this JobEventKind kind) => JsonSerializer.Serialize(kind).Trim('"');

    /// <summary>The event that ends a job in <paramref name="status"/> (succeeded, failed or cancelled).</summary>
    public static JobEventKind FinalEventOf(JobStatus status) => status switch
    {
        JobStatus.Succeeded => JobEventKind.Succeeded,
        JobStatus.Failed => JobEventKind.Failed,
        JobStatus.Cancelled => JobEventKind.Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a final status."),
    };
}
