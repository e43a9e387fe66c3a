namespace BertPlatform.Shared.Contracts;

/// <summary>A fine-tuned model published by a job, in the Hugging Face layout under <c>models/{id}/</c>.</summary>
public sealed record ModelRecord
{
    /// <summary>The id of the job that trained it.</summary>
    public required string Id { get; init; }

    public required string Owner { get; init; }

    public required string JobId { get; init; }

    public required TaskType Task { get; init; }

    public required string BaseModel { get; init; }

    /// <summary>Blob prefix inside the <c>models</c> container, ending in a slash.</summary>
    public required string BlobPrefix { get; init; }

    public IReadOnlyList<ModelFile> Files { get; init; } = [];

    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A file of a published model, with its path relative to the model's folder.</summary>
public sealed record ModelFile(string Path, long Bytes);
