using BertPlatform.Shared.Contracts;

namespace BertPlatform.GpuRunner.Pretraining;

/// <summary>
/// Settings of masked-LM / next-sentence instance creation: the job's <see cref="PretrainingOptions"/>, the sequence
/// length and seed (defaults: the flags of Google's <c>create_pretraining_data.py</c> and the BERT paper's 128-token
/// phase), plus the two buffer sizes that replace its all-in-memory shuffles when the corpus is streamed.
/// </summary>
public sealed record PretrainingDataOptions
{
    /// <summary>Hard limit on tokens per instance, [CLS] and both [SEP]s included (Google: 128).</summary>
    public int MaxSeqLength { get; init; } = 128;

    /// <summary>
    /// The job's instance settings (dupe factor, masking, short sequences, whole-word masking), passed through as
    /// the job gave them; their defaults are Google's flags.
    /// </summary>
    public PretrainingOptions Job { get; init; } = new();

    /// <summary>Seed of the one random stream behind every choice (Google: 12345).</summary>
    public long Seed { get; init; } = 12345;

    /// <summary>
    /// Documents held at once (Google holds the whole corpus). They are drawn in random order from this window
    /// and random next segments come from the other documents in it. 1,000 documents keeps memory to a few
    /// megabytes for Wikipedia-sized articles while giving each random segment a thousand candidate sources.
    /// </summary>
    public int DocumentBufferSize { get; init; } = 1_000;

    /// <summary>
    /// Instances held to shuffle the output (Google shuffles all of them), so consecutive instances rarely come
    /// from the same document. 10,000 instances of 128 tokens take about 15 MB; 1 turns shuffling off.
    /// </summary>
    public int InstanceShuffleBufferSize { get; init; } = 10_000;

    /// <summary>Throws naming the first setting out of range.</summary>
    public void Validate()
    {
        // [CLS] A [SEP] B [SEP] with A and B non-empty, and Google draws a target length from randint(2, max - 3).
        if (MaxSeqLength < 5)
            throw new ArgumentOutOfRangeException(nameof(MaxSeqLength), MaxSeqLength, "MaxSeqLength must be at least 5.");
        ArgumentNullException.ThrowIfNull(Job);
        if (Job.ShortSequenceProbability is < 0 or > 1 || double.IsNaN(Job.ShortSequenceProbability))
            throw new ArgumentOutOfRangeException(nameof(Job.ShortSequenceProbability), Job.ShortSequenceProbability, "ShortSequenceProbability must be in [0, 1].");
        if (Job.MaskedLmProbability is <= 0 or >= 1 || double.IsNaN(Job.MaskedLmProbability))
            throw new ArgumentOutOfRangeException(nameof(Job.MaskedLmProbability), Job.MaskedLmProbability, "MaskedLmProbability must be in (0, 1).");
        if (Job.MaxPredictionsPerSequence < 1)
            throw new ArgumentOutOfRangeException(nameof(Job.MaxPredictionsPerSequence), Job.MaxPredictionsPerSequence,
                "MaxPredictionsPerSequence must be at least 1.");
        if (Job.DupeFactor < 1)
            throw new ArgumentOutOfRangeException(nameof(Job.DupeFactor), Job.DupeFactor, "DupeFactor must be at least 1.");
        if (DocumentBufferSize < 2)
            throw new ArgumentOutOfRangeException(nameof(DocumentBufferSize), DocumentBufferSize,
                "DocumentBufferSize must be at least 2: a random next segment needs a document other than the current one.");
        if (InstanceShuffleBufferSize < 1)
            throw new ArgumentOutOfRangeException(nameof(InstanceShuffleBufferSize), InstanceShuffleBufferSize,
                "InstanceShuffleBufferSize must be at least 1.");
    }
}
