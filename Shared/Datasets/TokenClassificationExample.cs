namespace BertPlatform.Shared.Datasets;

/// <summary>
/// One sentence as words with one tag each. <paramref name="Row"/> is the line of its first token (CoNLL) or of its
/// record (JSONL). <paramref name="Language"/> is the record's tag from the optional language field (normalized by
/// <see cref="LanguageTag"/>); null where it has none, and always in CoNLL, which has no per-sentence field.
/// </summary>
public sealed record TokenClassificationExample(long Row, IReadOnlyList<string> Tokens, IReadOnlyList<string> Tags, string? Language = null);
