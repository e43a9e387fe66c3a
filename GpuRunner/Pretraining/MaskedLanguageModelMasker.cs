namespace BertPlatform.GpuRunner.Pretraining;

/// <summary>
/// Chooses and corrupts the masked-LM targets of one sequence, a port of Google's
/// <c>create_masked_lm_predictions</c>: <c>round(length × maskedLmProb)</c> targets (at least one, at most
/// <c>maxPredictionsPerSeq</c>), where length counts every token including [CLS] and [SEP] as Google does;
/// targets are drawn among all tokens but [CLS] and [SEP]; each becomes [MASK] 80% of the time, stays itself
/// 10%, and becomes a token drawn uniformly from the whole vocabulary 10% (specials included, as Google's
/// <c>vocab_words</c> and Hugging Face's collator both do). The random draws happen in Google's order, so the
/// output matches the reference draw for draw.
/// </summary>
public sealed class MaskedLanguageModelMasker
{
    private readonly PretrainingVocabulary vocabulary;
    private readonly double maskedLmProb;
    private readonly int maxPredictionsPerSeq;
    private readonly bool wholeWordMask;

    public MaskedLanguageModelMasker(PretrainingVocabulary vocabulary, double maskedLmProb, int maxPredictionsPerSeq,
        bool wholeWordMask)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        if (maskedLmProb is <= 0 or >= 1 || double.IsNaN(maskedLmProb))
            throw new ArgumentOutOfRangeException(nameof(maskedLmProb), maskedLmProb, "maskedLmProb must be in (0, 1).");
        if (maxPredictionsPerSeq < 1)
            throw new ArgumentOutOfRangeException(nameof(maxPredictionsPerSeq), maxPredictionsPerSeq,
                "maxPredictionsPerSeq must be at least 1.");
        this.vocabulary = vocabulary;
        this.maskedLmProb = maskedLmProb;
        this.maxPredictionsPerSeq = maxPredictionsPerSeq;
        this.wholeWordMask = wholeWordMask;
    }

    /// <summary>How many targets a sequence of this many tokens (specials included) gets.</summary>
    public int PredictionCount(int sequenceLength) =>
        // Python's round() rounds halves to even, as Math.Round does by default.
        Math.Min(maxPredictionsPerSeq, Math.Max(1, (int)Math.Round(sequenceLength * maskedLmProb)));

    public MaskedSequence Mask(IReadOnlyList<int> tokens, PretrainingRandom random)
    {
        var candidates = CandidateWords(tokens);
        random.Shuffle(candidates);

        var numToPredict = PredictionCount(tokens.Count);
        var inputIds = tokens.ToArray();
        var labels = new int[tokens.Count];
        Array.Fill(labels, PretrainingInstance.NotPredicted);
        var positions = new List<int>(numToPredict);

        foreach (var word in candidates)
        {
            if (positions.Count >= numToPredict) break;
            // A whole word that would overshoot the budget is skipped; a shorter one later may still fit.
            if (positions.Count + word.Count > numToPredict) continue;
            foreach (var index in word)
            {
                inputIds[index] = Corrupt(tokens[index], random);
                labels[index] = tokens[index];
                positions.Add(index);
            }
        }
        positions.Sort();
        return new MaskedSequence(inputIds, labels, positions.ToArray());
    }

    private int Corrupt(int original, PretrainingRandom random)
    {
        if (random.NextDouble() < 0.8) return vocabulary.MaskId;
        if (random.NextDouble() < 0.5) return original;
        return random.NextInt(0, vocabulary.Count - 1);
    }

    /// <summary>
    /// Positions that may be predicted, grouped into words when whole-word masking is on: a <c>##</c> piece joins
    /// the group before it. As in Google's code (kept for draw-for-draw parity), a <c>##</c> piece that opens
    /// segment B after truncation joins the last word of A across the [SEP]; only the first piece of a sequence
    /// has no group to join.
    /// </summary>
    private List<List<int>> CandidateWords(IReadOnlyList<int> tokens)
    {
        var words = new List<List<int>>(tokens.Count);
        for (var i = 0; i < tokens.Count; i++)
        {
            var id = tokens[i];
            if (id == vocabulary.ClsId || id == vocabulary.SepId) continue;
            if (wholeWordMask && words.Count > 0 && vocabulary.IsContinuation(id))
                words[^1].Add(i);
            else
                words.Add([i]);
        }
        return words;
    }
}
