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
/// deterministic, and cuts it into batches in stream order. Counted once up front.
/// </summary>
public sealed class StreamingTrainingData<TFeature>(Func<IEnumerable<TFeature>> source) : ITrainingData<TFeature>
{
    private readonly Lazy<int> count = new(() => source().Count());

    public int Count => count.Value;

    public IEnumerable<IReadOnlyList<TFeature>> Batches(int epoch, int batchSize, int seed) => source().Chunk(batchSize);
}
