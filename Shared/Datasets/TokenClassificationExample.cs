namespace BertPlatform.Shared.Datasets;

/// <summary>
/// One sentence as words with one tag each. <paramref name="Row"/> is the line of its first token (CoNLL) or of its
/// record (JSONL).
/// </summary>
public sealed record TokenClassificationExample(long Row, IReadOnlyList<string> Tokens, IReadOnlyList<string> Tags);
