namespace BertPlatform.Shared.Contracts;

/// <summary>An uploaded, validated dataset. Only valid datasets get a record; the data itself is one blob.</summary>
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

    /// <summary>Blob name inside the <c>datasets</c> container: <c>{owner}/{id}/data.{ext}</c>.</summary>
    public required string BlobName { get; init; }

    public long Bytes { get; init; }

    public long RowCount { get; init; }

    public IReadOnlyList<string> ColumnsFound { get; init; } = [];

    public IReadOnlyDictionary<string, long> LabelCounts { get; init; } = new Dictionary<string, long>();

    public DateTimeOffset CreatedAt { get; init; }
}
