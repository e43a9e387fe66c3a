namespace BertPlatform.GpuRunner.Training;

/// <summary>
/// Where a run's training examples come from, one epoch at a time. An epoch must yield the same micro-batches
/// every time it is asked for (a resumed run replays it and skips what was already trained on).
/// </summary>
public interface ITrainingData<TFeature>
{
    /// <summary>Examples per epoch; fixes the number of steps and so the learning-rate schedule.</summary>
    int Count { get; }

    IEnumerable<IReadOnlyList<TFeature>> Batches(int epoch, int batchSize, int seed);
}

/// <summary>Examples held in memory, batched by similar length in a fresh random order each epoch.</summary>
public sealed class InMemoryTrainingData<TFeature>(IReadOnlyList<TFeature> examples) : ITrainingData<TFeature> where TFeature : ISequenceFeature
{
    private readonly int[] lengths = examples.Select(f => f.Length).ToArray();

    public int Count => examples.Count;

    public IEnumerable<IReadOnlyList<TFeature>> Batches(int epoch, int batchSize, int seed) =>
        LengthGroupedBatches.ForTraining(lengths, batchSize, unchecked(seed * 7919 + epoch)).Select(b => (IReadOnlyList<TFeature>)b.Select(i => examples[i]).ToArray());
}

/// <summary>
/// Examples produced on the fly (a corpus larger than memory): each epoch re-reads the source, which must be
/// deterministic, and cuts it into batches in stream order, or in a seeded order within a window of
/// <paramref name="shuffleBuffer"/> examples (as a streamed dataset's shuffle buffer), so memory holds one window.
/// Counted once up front, unless the caller knows <paramref name="count"/> already (a dataset's validation report).
/// </summary>
public sealed class StreamingTrainingData<TFeature>(Func<IEnumerable<TFeature>> source, int? count = null, int shuffleBuffer = 0) : ITrainingData<TFeature>
{
    private readonly Lazy<int> counted = new(() => count ?? source().Count());

    public int Count => counted.Value;

    public IEnumerable<IReadOnlyList<TFeature>> Batches(int epoch, int batchSize, int seed) =>
        (shuffleBuffer > 1 ? ShuffleBuffer.Shuffle(source(), shuffleBuffer, unchecked(seed * 7919 + epoch)) : source()).Chunk(batchSize);
}
