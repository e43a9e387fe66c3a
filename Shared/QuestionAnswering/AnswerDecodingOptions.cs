namespace BertPlatform.Shared.QuestionAnswering;

/// <summary>Settings of the n-best span search; the defaults are those of BERT's SQuAD runs and the transformers example.</summary>
public sealed record AnswerDecodingOptions
{
    /// <summary>Best start and best end tokens tried per window, and candidates kept (20).</summary>
    public int NBestSize { get; init; } = 20;

    /// <summary>Longest answer in tokens, end − start + 1 (30).</summary>
    public int MaxAnswerLength { get; init; } = 30;

    /// <summary>SQuAD v2.0: the question may be unanswerable, so the [CLS] null answer competes (off).</summary>
    public bool AllowNoAnswer { get; init; }

    /// <summary>Predict "" when null score − best span score exceeds this (0); tune it with SQuAD's best_f1_thresh.</summary>
    public double NullScoreDifferenceThreshold { get; init; }

    public static AnswerDecodingOptions Default { get; } = new();

    internal void Validate()
    {
        if (NBestSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(NBestSize), NBestSize, "n-best size must be at least 1.");
        }

        if (MaxAnswerLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxAnswerLength), MaxAnswerLength, "Maximum answer length must be at least 1 token.");
        }

        if (!double.IsFinite(NullScoreDifferenceThreshold))
        {
            throw new ArgumentOutOfRangeException(nameof(NullScoreDifferenceThreshold), NullScoreDifferenceThreshold, "The threshold must be finite.");
        }
    }
}
