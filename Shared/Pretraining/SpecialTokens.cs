namespace BertPlatform.Shared.Pretraining;

/// <summary>BERT's special tokens and their order at the head of a vocabulary.</summary>
public static class SpecialTokens
{
    public const string Pad = "[PAD]";
    public const string Unknown = "[UNK]";
    public const string Cls = "[CLS]";
    public const string Sep = "[SEP]";
    public const string Mask = "[MASK]";

    /// <summary>The special tokens in id order for a layout.</summary>
    public static IReadOnlyList<string> For(SpecialTokenLayout layout) => layout switch
    {
        SpecialTokenLayout.Multilingual =>
            [Pad, .. Enumerable.Range(1, 99).Select(i => $"[unused{i}]"), Unknown, Cls, Sep, Mask],
        SpecialTokenLayout.Compact => [Pad, Unknown, Cls, Sep, Mask],
        _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, "Unknown special token layout."),
    };
}
