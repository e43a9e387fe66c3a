using System.Text.Json.Serialization;

namespace BertPlatform.Shared.Contracts;

/// <summary>
/// Where a dataset stands. An HTTP upload is validated within its request and is <see cref="Ready"/> at once; a direct
/// upload goes <see cref="AwaitingUpload"/> → <see cref="Validating"/> → <see cref="Ready"/> or <see cref="Invalid"/>.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<DatasetStatus>))]
public enum DatasetStatus
{
    /// <summary>Validated and stored; jobs may train on it.</summary>
    [JsonStringEnumMemberName("ready")] Ready,

    /// <summary>A direct upload was created; the client is writing the blob with its SAS.</summary>
    [JsonStringEnumMemberName("awaiting_upload")] AwaitingUpload,

    /// <summary>The client completed a direct upload; the blob is being validated.</summary>
    [JsonStringEnumMemberName("validating")] Validating,

    /// <summary>Validation found errors (kept on the record); the blob was deleted.</summary>
    [JsonStringEnumMemberName("invalid")] Invalid,
}
