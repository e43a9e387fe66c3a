namespace BertPlatform.Shared.Contracts;

/// <summary>Settings of extractive question-answering jobs; defaults are Google's SQuAD settings.</summary>
public sealed record QuestionAnsweringOptions
{
    /// <summary>
    /// Tokens shared by consecutive windows over a long context; null chooses <see cref="DocStrideFor"/>'s default.
    /// </summary>
    public int? DocStride { get; init; }

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

    /// <summary>Google's and Hugging Face's SQuAD stride, at their 384-token windows.</summary>
    public const int SquadDocStride = 128;

    /// <summary>
    /// The stride windows of <paramref name="maxSequenceLength"/> tokens use: the one given, or SQuAD's 128 where half
    /// the narrowest context window (after a question of <see cref="MaxQuestionLength"/> tokens and 3 special tokens)
    /// is wider, else that half, so that every window advances at the platform's default 128-token sequences too.
    /// </summary>
    public int DocStrideFor(int maxSequenceLength) =>
        DocStride ?? Math.Clamp((maxSequenceLength - MaxQuestionLength - 3) / 2, 1, SquadDocStride);
}
