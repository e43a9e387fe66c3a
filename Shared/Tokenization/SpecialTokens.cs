namespace BertPlatform.Shared.Tokenization;

/// <summary>BERT's special token strings and their order at the head of a built vocabulary; ids always come from the vocabulary.</summary>
public static class SpecialTokens
{
    public const string Padding = "[PAD]";
    public const string Unknown = "[UNK]";
    public const string Classifier = "[CLS]";
    public const string Separator = "[SEP]";
    public const string Mask = "[MASK]";

    /// <summary>Kept whole when they appear literally in text (case-sensitive), as HF's added-token trie does.</summary>
    public static IReadOnlyList<string> All { get; } = [Padding, Unknown, Classifier, Separator, Mask];

    /// <summary>The special tokens in id order for a layout of a vocabulary built from a corpus.</summary>
    public static IReadOnlyList<string> For(SpecialTokenLayout layout) => layout switch
    {
        SpecialTokenLayout.Multilingual =>
            [Padding, .. Enumerable.Range(1, 99).Select(i => $"[unused{i}]"), Unknown, Classifier, Separator, Mask],
        SpecialTokenLayout.Compact => [Padding, Unknown, Classifier, Separator, Mask],
        _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, "Unknown special token layout."),
    };
}
