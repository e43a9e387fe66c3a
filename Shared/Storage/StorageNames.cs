namespace BertPlatform.Shared.Storage;

/// <summary>Names of the containers, tables and blob paths; the layout is shared with the infrastructure.</summary>
public static class StorageNames
{
    public const string DatasetsContainer = "datasets";
    public const string ModelsContainer = "models";
    public const string CheckpointsContainer = "checkpoints";
    public const string PredictionsContainer = "predictions";

    public const string DatasetsTable = "datasets";
    public const string JobsTable = "jobs";
    public const string JobEventsTable = "jobevents";
    public const string ModelsTable = "models";

    /// <summary>Where base models live inside the models container.</summary>
    public static string BaseModelPrefix(string name) => $"base/{name}/";

    public static string TrainedModelPrefix(string modelId) => $"{modelId}/";

    public static string CheckpointPrefix(string jobId) => $"{jobId}/";

    /// <summary>A batch prediction job's output inside the predictions container.</summary>
    public static string PredictionsBlobName(string owner, string jobId) => $"{OwnerKey(owner)}/{jobId}/predictions.jsonl";

    public static string DatasetBlobName(string owner, string datasetId, string extension) =>
        $"{OwnerKey(owner)}/{datasetId}/data.{extension}";

    /// <summary>
    /// The owner as a table partition key and blob path segment. Identities may contain characters that tables
    /// forbid in keys (<c>/ \ # ?</c>) or that would nest blob folders; percent-encoding keeps them one segment.
    /// </summary>
    public static string OwnerKey(string owner) => Uri.EscapeDataString(owner);

    /// <summary>
    /// Whether an owner fits a table key (at most 1 KiB, so 512 UTF-16 characters once encoded) and a blob path
    /// segment. An identity that does not cannot own anything; the API refuses it rather than fail at the first write.
    /// </summary>
    public static bool IsUsableOwner(string owner) =>
        !string.IsNullOrWhiteSpace(owner) && owner.Length <= MaxOwnerLength && RecordEntity.IsStorableKey(OwnerKey(owner));

    /// <summary>Even every character percent-encoded as three (a UTF-8 byte each) must fit 512.</summary>
    public const int MaxOwnerLength = 128;
}
