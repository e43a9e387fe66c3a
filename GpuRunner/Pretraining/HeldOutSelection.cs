using BertPlatform.Shared.Contracts;

namespace BertPlatform.GpuRunner.Pretraining;

/// <summary>
/// Chooses the whole documents held out to measure pre-training: in a fixed pseudo-random order, as many as the
/// requested masked predictions and next-sentence pairs need (estimated from their length), but never more than
/// <see cref="PretrainingOptions.HeldOutDocuments"/> of the corpus, and at least two (a next-sentence pair needs a
/// second document). What the set really holds is known only once its instances exist: <see cref="Check"/> says
/// whether it measures what was asked.
/// </summary>
public sealed class HeldOutSelection
{
    private readonly PretrainingOptions options;
    private readonly int maxSeqLength;
    private readonly List<(double Rank, int Index, int Tokens)> candidates = [];

    public HeldOutSelection(PretrainingOptions options, int maxSeqLength, int seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        (this.options, this.maxSeqLength, Seed) = (options, maxSeqLength, seed);
    }

    private int Seed { get; }

    /// <summary>Documents offered so far.</summary>
    public int CorpusDocuments { get; private set; }

    /// <summary>
    /// Offers the corpus's next document with its length in tokens (words are a fine lower bound). Only documents
    /// whose rank falls within the cap are kept, so memory stays bounded by the cap whatever the corpus's size.
    /// </summary>
    public void Offer(int index, int tokens)
    {
        CorpusDocuments++;
        var rank = Rank(index, Seed);
        // Two documents are the least that can be held out: while fewer fall under the cap, the first ones stand by.
        if (rank < options.HeldOutDocuments || candidates.Count < 2) candidates.Add((rank, index, tokens));
    }

    /// <summary>The held-out document indices: the lowest ranks until the estimates reach the targets or the cap.</summary>
    public IReadOnlySet<int> Choose()
    {
        if (CorpusDocuments < 4)
            throw new InvalidDataException(
                $"The corpus has {CorpusDocuments} document(s); pre-training needs at least 4 (2 held out to measure next-sentence prediction, 2 to train on). Separate documents with a blank line.");
        var cap = Math.Max(2, (int)Math.Floor(CorpusDocuments * options.HeldOutDocuments));
        var chosen = new HashSet<int>();
        var (predictions, pairs) = (0.0, 0.0);
        foreach (var (_, index, tokens) in candidates.OrderBy(c => c.Rank))
        {
            if (chosen.Count >= 2 && (chosen.Count >= cap || (predictions >= options.HeldOutMaskedPredictions && pairs >= options.HeldOutNextSentencePairs)))
                break;
            chosen.Add(index);
            var (p, n) = Estimate(tokens);
            (predictions, pairs) = (predictions + p, pairs + n);
        }
        return chosen;
    }

    /// <summary>
    /// Instances and masked predictions a document of this many tokens yields in one pass, as Google's generator
    /// cuts it (segments of up to max length − 3 tokens); slightly generous targets make up for shorter segments.
    /// </summary>
    private (double Predictions, double Pairs) Estimate(int tokens)
    {
        var segment = Math.Max(1, maxSeqLength - 3);
        var pairs = Math.Max(1.0, Math.Ceiling((double)tokens / segment));
        var perPair = Math.Min(options.MaxPredictionsPerSequence, Math.Max(1, Math.Round(Math.Min(tokens, segment) * options.MaskedLmProbability)));
        return (pairs * perPair * 0.9, pairs * 0.9);
    }

    /// <summary>A warning when the held-out set falls short of the targets, else null.</summary>
    public string? Check(int documents, long predictions, long pairs)
    {
        if (predictions >= options.HeldOutMaskedPredictions && pairs >= options.HeldOutNextSentencePairs) return null;
        var sizes = FormattableString.Invariant(
            $"{documents:N0} of {CorpusDocuments:N0} documents held out (at most {options.HeldOutDocuments * 100:0.#}%) give {predictions:N0} masked predictions (asked for {options.HeldOutMaskedPredictions:N0}) and {pairs:N0} next-sentence pairs (asked for {options.HeldOutNextSentencePairs:N0})");
        var steps = FormattableString.Invariant(
            $"masked-LM accuracy moves in steps of {1.0 / Math.Max(1, predictions):0.####} and next-sentence accuracy in steps of {1.0 / Math.Max(1, pairs):0.####}");
        return $"the corpus is too small for a held-out set that measures: {sizes}, so {steps}. " +
               "Upload more text, raise pretraining.heldOutDocuments, or lower pretraining.heldOutMaskedPredictions / heldOutNextSentencePairs.";
    }

    /// <summary>A fixed pseudo-random number in [0,1) per document, so the held-out set is the same on every pass.</summary>
    public static double Rank(int index, int seed)
    {
        var x = (ulong)(uint)index * 0x9E3779B97F4A7C15UL ^ (ulong)(uint)seed * 0xBF58476D1CE4E5B9UL;
        x ^= x >> 31; x *= 0x94D049BB133111EBUL; x ^= x >> 29;
        return (x >> 11) * (1.0 / (1UL << 53));
    }
}
