namespace BertPlatform.GpuRunner.Pretraining;

/// <summary>
/// One masked-LM + next-sentence training example, <c>[CLS] A [SEP] B [SEP]</c>, unpadded: the collator pads
/// to the batch length with the pad id and an attention mask of zeros. Labels follow the Hugging Face
/// <c>BertForPreTraining</c> convention.
/// </summary>
public sealed class PretrainingInstance
{
    /// <summary>The label of positions the masked-LM loss ignores (PyTorch's cross-entropy ignore_index).</summary>
    public const int NotPredicted = -100;

    public PretrainingInstance(int[] inputIds, int[] tokenTypeIds, int[] maskedLmLabels, int[] maskedPositions,
        bool isRandomNext)
    {
        if (tokenTypeIds.Length != inputIds.Length || maskedLmLabels.Length != inputIds.Length)
            throw new ArgumentException(
                $"Input ids ({inputIds.Length}), token type ids ({tokenTypeIds.Length}) and masked-LM labels " +
                $"({maskedLmLabels.Length}) must have the same length.");
        InputIds = inputIds;
        TokenTypeIds = tokenTypeIds;
        MaskedLmLabels = maskedLmLabels;
        MaskedPositions = maskedPositions;
        IsRandomNext = isRandomNext;
    }

    /// <summary>Token ids after masking: some positions hold [MASK], a random token, or their original token.</summary>
    public int[] InputIds { get; }

    /// <summary>0 for [CLS], segment A and the first [SEP]; 1 for segment B and the final [SEP].</summary>
    public int[] TokenTypeIds { get; }

    /// <summary>The original token id at each predicted position, <see cref="NotPredicted"/> elsewhere.</summary>
    public int[] MaskedLmLabels { get; }

    /// <summary>The predicted positions in ascending order (Google's <c>masked_lm_positions</c>).</summary>
    public int[] MaskedPositions { get; }

    /// <summary>True when segment B was drawn from another document rather than following A.</summary>
    public bool IsRandomNext { get; }

    /// <summary>Hugging Face <c>next_sentence_label</c>: 0 = B is the actual next segment, 1 = B is random.</summary>
    public int NextSentenceLabel => IsRandomNext ? 1 : 0;

    public int Length => InputIds.Length;

    /// <summary>
    /// Where segment A came from: the document's position among those given to the generator (empty ones counted),
    /// or -1 when not made by one. Evaluation uses it to score each instance under its document's language.
    /// </summary>
    public int SourceDocument { get; init; } = -1;
}
