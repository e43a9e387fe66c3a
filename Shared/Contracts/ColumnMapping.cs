namespace BertPlatform.Shared.Contracts;

/// <summary>
/// Which columns (CSV/TSV header names) or fields (JSONL keys) of a dataset hold what. Defaults are the
/// conventional names, so most datasets need no mapping at all.
/// </summary>
public sealed record ColumnMapping
{
    public string Text { get; init; } = "text";

    /// <summary>Second text of a pair task (entailment, paraphrase, similarity); absent for single texts.</summary>
    public string TextPair { get; init; } = "text_pair";

    public string Label { get; init; } = "label";

    /// <summary>Optional language tag of each row (e.g. <c>de</c>); where absent, per-language reports detect it.</summary>
    public string Language { get; init; } = "language";

    /// <summary>Token classification: the word list and the tag list.</summary>
    public string Tokens { get; init; } = "tokens";

    public string Tags { get; init; } = "tags";

    /// <summary>Question answering.</summary>
    public string Question { get; init; } = "question";

    public string Context { get; init; } = "context";

    public string Answers { get; init; } = "answers";

    /// <summary>Multiple choice: the candidate endings.</summary>
    public string Endings { get; init; } = "endings";

    public static ColumnMapping Default { get; } = new();
}
