namespace BertPlatform.Shared.Contracts;

/// <summary>The body of <c>POST /api/batch-predictions</c>: which published model runs over which dataset.</summary>
public sealed record BatchPredictionSpec
{
    /// <summary>Id of a published model of the caller's.</summary>
    public string Model { get; init; } = "";

    /// <summary>Id of a ready dataset of the caller's, of the model's task.</summary>
    public string Dataset { get; init; } = "";

    /// <summary>Columns of the dataset; the ones it was validated with unless given.</summary>
    public ColumnMapping? Columns { get; init; }

    /// <summary>Inputs per forward pass on the runner.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Question answering: let the null answer compete; unless given, on when the dataset has unanswerable questions.</summary>
    public bool? HandleImpossibleAnswer { get; init; }
}
