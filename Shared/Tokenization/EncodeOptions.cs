namespace BertPlatform.Shared.Tokenization;

/// <summary>How <see cref="BertTextTokenizer"/> shapes one encoding.</summary>
public sealed record EncodeOptions
{
    public static EncodeOptions Default { get; } = new();

    /// <summary>Length limit including the special tokens; when null, truncation uses the model's maximum length.</summary>
    public int? MaxLength { get; init; }

    public TruncationStrategy Truncation { get; init; } = TruncationStrategy.LongestFirst;

    /// <summary>Pad on the right with [PAD] up to the effective maximum length.</summary>
    public bool PadToMaxLength { get; init; }

    /// <summary>Add [CLS] … [SEP] (… [SEP]) around the sequences.</summary>
    public bool AddSpecialTokens { get; init; } = true;
}
