namespace BertPlatform.Shared.Contracts;

/// <summary>Where a finished batch prediction job put its predictions: one JSON line per input, in input order.</summary>
public sealed record BatchPredictionOutput
{
    /// <summary>Blob name inside the <c>predictions</c> container.</summary>
    public required string BlobName { get; init; }

    public long Predictions { get; init; }

    public long Bytes { get; init; }
}
