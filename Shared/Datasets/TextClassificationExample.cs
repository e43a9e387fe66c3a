namespace BertPlatform.Shared.Datasets;

/// <summary>
/// One text (or text pair) with its labels: one label for single-label classification and regression (the value in
/// invariant culture), any number for multi-label. <paramref name="Row"/> is the number in the record's location:
/// the data row of a CSV/TSV file (header not counted), the line of a JSONL file. <paramref name="Language"/> is the
/// row's tag from the dataset's optional language column (trimmed, lower-cased), null where it has none.
/// </summary>
public sealed record TextClassificationExample(long Row, string Text, string? TextPair, IReadOnlyList<string> Labels, string? Language = null);
