namespace BertPlatform.Shared.Tokenization;

/// <summary>BERT's special token strings; their ids always come from the vocabulary.</summary>
public static class SpecialTokens
{
    public const string Padding = "[PAD]";
    public const string Unknown = "[UNK]";
    public const string Classifier = "[CLS]";
    public const string Separator = "[SEP]";
    public const string Mask = "[MASK]";

    /// <summary>Kept whole when they appear literally in text (case-sensitive), as HF's added-token trie does.</summary>
    public static IReadOnlyList<string> All { get; } = [Padding, Unknown, Classifier, Separator, Mask];
}
