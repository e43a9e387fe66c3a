namespace BertPlatform.Shared.Tokenization;

/// <summary>Settings of <see cref="WordPieceVocabularyBuilder"/>. Defaults give a cased multilingual vocabulary.</summary>
public sealed record WordPieceVocabularyOptions
{
    /// <summary>Tokens in the result, special tokens included (mBERT: 119,547; English BERT: 30,522).</summary>
    public int VocabularySize { get; init; } = 30_000;

    /// <summary>mBERT's layout (specials at ids 0 and 100-103) or the compact one for tiny vocabularies.</summary>
    public SpecialTokenLayout SpecialTokenLayout { get; init; } = SpecialTokenLayout.Multilingual;

    /// <summary>Lower-case and strip accents before counting (uncased models); off for cased ones like mBERT.</summary>
    public bool LowerCase { get; init; }

    /// <summary>A pair of pieces seen fewer times than this is never merged (HF's BertWordPieceTokenizer: 2).</summary>
    public long MinFrequency { get; init; } = 2;

    /// <summary>Keep only the most frequent characters; null keeps every character seen, as mBERT does.</summary>
    public int? MaxAlphabetSize { get; init; }

    /// <summary>Longer words are not learned from (Google's WordPiece tokenizer turns them into [UNK] anyway; HF uses 100).</summary>
    public int MaxInputCharsPerWord { get; init; } = 100;

    /// <summary>
    /// Bound on distinct words held while counting. When exceeded, the rarest words are dropped (their
    /// characters stay counted), which only affects merges of words too rare to earn a vocabulary entry.
    /// Two million words take a few hundred megabytes.
    /// </summary>
    public int MaxDistinctWords { get; init; } = 2_000_000;

    /// <summary>Throws naming the first setting out of range.</summary>
    public void Validate()
    {
        var specials = SpecialTokens.For(SpecialTokenLayout).Count;
        if (VocabularySize <= specials)
            throw new ArgumentOutOfRangeException(nameof(VocabularySize), VocabularySize,
                $"VocabularySize must exceed the {specials} special tokens of the {SpecialTokenLayout} layout.");
        if (MinFrequency < 1)
            throw new ArgumentOutOfRangeException(nameof(MinFrequency), MinFrequency, "MinFrequency must be at least 1.");
        if (MaxAlphabetSize is < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxAlphabetSize), MaxAlphabetSize, "MaxAlphabetSize must be at least 1.");
        if (MaxInputCharsPerWord < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxInputCharsPerWord), MaxInputCharsPerWord,
                "MaxInputCharsPerWord must be at least 1.");
        if (MaxDistinctWords < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxDistinctWords), MaxDistinctWords,
                "MaxDistinctWords must be at least 1.");
    }
}
