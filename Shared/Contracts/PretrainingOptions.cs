namespace BertPlatform.Shared.Contracts;

/// <summary>Settings of pre-training jobs (masked LM + next-sentence prediction).</summary>
public sealed record PretrainingOptions
{
    /// <summary>
    /// True trains a new model: a WordPiece vocabulary is built from the corpus and the weights start random.
    /// False continues from the job's base model and keeps its vocabulary (domain adaptation).
    /// </summary>
    public bool FromScratch { get; init; }

    /// <summary>From scratch: tiny (2×128), mini (4×256), small (4×512) or base (12×768), as Google's BERT miniatures.</summary>
    public string ModelSize { get; init; } = "mini";

    /// <summary>From scratch: tokens in the vocabulary built from the corpus.</summary>
    public int VocabularySize { get; init; } = 30_000;

    /// <summary>
    /// The largest share of the corpus documents held out to measure masked-LM and next-sentence accuracy; within
    /// it, whole documents are held out until <see cref="HeldOutMaskedPredictions"/> and
    /// <see cref="HeldOutNextSentencePairs"/> are reached (a warning says when the corpus is too small for them).
    /// </summary>
    public double HeldOutDocuments { get; init; } = 0.1;

    /// <summary>Masked predictions the held-out set should hold (10,000: accuracy in steps of 0.0001).</summary>
    public int HeldOutMaskedPredictions { get; init; } = 10_000;

    /// <summary>Next-sentence pairs the held-out set should hold.</summary>
    public int HeldOutNextSentencePairs { get; init; } = 1_000;

    /// <summary>Passes over the corpus, each with different pairs and masks (Google: 10).</summary>
    public int DupeFactor { get; init; } = 10;

    /// <summary>Share of tokens chosen for prediction (of which 80% [MASK], 10% random, 10% kept).</summary>
    public double MaskedLmProbability { get; init; } = 0.15;

    /// <summary>Cap on predictions per sequence (Google: 20 at 128 tokens).</summary>
    public int MaxPredictionsPerSequence { get; init; } = 20;

    /// <summary>Chance of a shorter target length, so the model also sees short inputs (Google: 0.1).</summary>
    public double ShortSequenceProbability { get; init; } = 0.1;

    /// <summary>Mask all pieces of a word together.</summary>
    public bool WholeWordMask { get; init; }
}
