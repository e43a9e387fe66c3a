namespace BertPlatform.Shared.Tokenization;

/// <summary>How an over-long encoding is cut down to <see cref="EncodeOptions.MaxLength"/>; Hugging Face semantics.</summary>
public enum TruncationStrategy
{
    /// <summary>Never truncate, even past the model's maximum length.</summary>
    None,

    /// <summary>Remove one token at a time from the end of the longer sequence (the second one when both are equally long).</summary>
    LongestFirst,

    /// <summary>Remove tokens only from the end of the first sequence.</summary>
    OnlyFirst,

    /// <summary>Remove tokens only from the end of the second sequence of a pair.</summary>
    OnlySecond,
}
