namespace BertPlatform.Shared.Contracts;

/// <summary>Settings of extractive question-answering jobs; defaults are Google's SQuAD settings.</summary>
public sealed record QuestionAnsweringOptions
{
    /// <summary>Tokens shared by consecutive windows over a long context.</summary>
    public int DocStride { get; init; } = 128;

    /// <summary>Questions longer than this are truncated.</summary>
    public int MaxQuestionLength { get; init; } = 64;

    /// <summary>Candidate spans kept per example when decoding.</summary>
    public int NBestSize { get; init; } = 20;

    /// <summary>Longest answer, in tokens.</summary>
    public int MaxAnswerLength { get; init; } = 30;

    /// <summary>SQuAD v2.0: predict "no answer" when null score − best span score exceeds this.</summary>
    public double NullScoreDiffThreshold { get; init; }

    /// <summary>SQuAD v2.0 (unanswerable questions); null decides from the data (any unanswerable question).</summary>
    public bool? VersionTwoWithNegative { get; init; }
}
