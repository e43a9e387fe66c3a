namespace BertPlatform.Shared.Contracts;

/// <summary>
/// A dataset. An HTTP upload gets a record only once it is valid; a direct upload has one from the moment it is
/// created, whose <see cref="Status"/> follows it through validation. The data itself is one blob.
/// </summary>
public sealed record DatasetRecord
{
    public required string Id { get; init; }

    public required string Owner { get; init; }

    public required string Name { get; init; }

    public required DatasetFormat Format { get; init; }

    public required TaskType Task { get; init; }

    /// <summary>Columns the dataset was validated with; a job on it uses them unless it names its own.</summary>
    public ColumnMapping Columns { get; init; } = ColumnMapping.Default;

    public ProblemType? ProblemType { get; init; }

    /// <summary>Uploaded with <c>unlabeled=true</c>: inputs without labels, to run a model over, never to train on.</summary>
    public bool Unlabeled { get; init; }

    /// <summary>Blob name inside the <c>datasets</c> container: <c>{owner}/{id}/data.{ext}</c>.</summary>
    public required string BlobName { get; init; }

    public long Bytes { get; init; }

    public long RowCount { get; init; }

    public IReadOnlyList<string> ColumnsFound { get; init; } = [];

    public IReadOnlyDictionary<string, long> LabelCounts { get; init; } = new Dictionary<string, long>();

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Records written before statuses existed were all validated HTTP uploads, hence the default.</summary>
    public DatasetStatus Status { get; init; } = DatasetStatus.Ready;

    /// <summary>Direct uploads: the size the client announced; the blob must have exactly this many bytes.</summary>
    public long? DeclaredBytes { get; init; }

    /// <summary>Direct uploads: when the write SAS expires; an upload not completed by then is removed.</summary>
    public DateTimeOffset? UploadExpiresAt { get; init; }

    /// <summary>Invalid datasets: how many errors validation found.</summary>
    public long? ErrorCount { get; init; }

    /// <summary>Invalid datasets: the first errors, row- and column-precise, as the HTTP upload answers them.</summary>
    public IReadOnlyList<BertPlatform.Shared.Datasets.DatasetError>? Errors { get; init; }
}
