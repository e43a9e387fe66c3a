namespace BertPlatform.Shared.Datasets;

/// <summary>
/// A SWAG-style item: a context, an optional question (or first words of the ending), candidate endings and the
/// index of the right one. <paramref name="Row"/> is the line of the JSONL record. <paramref name="Language"/> is the
/// record's tag from the optional language field (normalized by <see cref="LanguageTag"/>), null where it has none.
/// </summary>
public sealed record MultipleChoiceExample(long Row, string Context, string? Question, IReadOnlyList<string> Endings, int Label, string? Language = null);
