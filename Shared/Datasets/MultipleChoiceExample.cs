namespace BertPlatform.Shared.Datasets;

/// <summary>
/// A SWAG-style item: a context, an optional question (or first words of the ending), candidate endings and the
/// index of the right one. <paramref name="Row"/> is the line of the JSONL record.
/// </summary>
public sealed record MultipleChoiceExample(long Row, string Context, string? Question, IReadOnlyList<string> Endings, int Label);
