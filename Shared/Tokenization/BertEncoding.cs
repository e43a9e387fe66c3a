namespace BertPlatform.Shared.Tokenization;

/// <summary>One model input row: ids and their per-position annotations, all of the same length.</summary>
public sealed class BertEncoding
{
    internal BertEncoding(List<int> inputIds, List<int> tokenTypeIds, List<int> attentionMask, List<string> tokens,
        List<TextSpan?> offsets, List<int?> sequenceIds, List<int?> wordIds, int truncatedTokenCount)
    {
        InputIds = inputIds;
        TokenTypeIds = tokenTypeIds;
        AttentionMask = attentionMask;
        Tokens = tokens;
        Offsets = offsets;
        SequenceIds = sequenceIds;
        WordIds = wordIds;
        TruncatedTokenCount = truncatedTokenCount;
    }

    public IReadOnlyList<int> InputIds { get; }

    public IReadOnlyList<int> TokenTypeIds { get; }

    public IReadOnlyList<int> AttentionMask { get; }

    public IReadOnlyList<string> Tokens { get; }

    /// <summary>
    /// Char range of each token in the original text of its sequence (the first text, the pair text, or the word
    /// of <see cref="BertTextTokenizer.EncodeWords"/>); null for [CLS]/[SEP]/[PAD].
    /// </summary>
    public IReadOnlyList<TextSpan?> Offsets { get; }

    /// <summary>0 = first text (the question in QA windows), 1 = pair text (the context), null = special or padding.</summary>
    public IReadOnlyList<int?> SequenceIds { get; }

    /// <summary>
    /// Index of the word each token came from: the input word for <see cref="BertTextTokenizer.EncodeWords"/>,
    /// the basic-tokenizer word within its sequence otherwise; null for special or padding.
    /// </summary>
    public IReadOnlyList<int?> WordIds { get; }

    /// <summary>Tokens removed by truncation (for QA windows: context tokens outside the window plus cut question tokens).</summary>
    public int TruncatedTokenCount { get; }

    public int Length => InputIds.Count;
}
