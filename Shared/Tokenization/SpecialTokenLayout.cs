namespace BertPlatform.Shared.Tokenization;

/// <summary>Where the special tokens sit at the head of a built vocabulary.</summary>
public enum SpecialTokenLayout
{
    /// <summary>
    /// mBERT's <c>vocab.txt</c>: [PAD]=0, [unused1]..[unused99]=1..99, [UNK]=100, [CLS]=101, [SEP]=102,
    /// [MASK]=103, so tools that hard-code those ids keep working.
    /// </summary>
    Multilingual,

    /// <summary>[PAD]=0, [UNK]=1, [CLS]=2, [SEP]=3, [MASK]=4: for small vocabularies where 99 unused slots hurt.</summary>
    Compact,
}
