namespace BertPlatform.GpuRunner.Training;

/// <summary>
/// Dynamic-padding batches: shuffle, then sort by length inside "mega-batches" of 50 batches and cut, so a batch
/// holds texts of similar length and short texts don't pay for the longest one, while the order stays random
/// from epoch to epoch (transformers' LengthGroupedSampler). Seeded per epoch, so a resumed run replays it.
/// </summary>
public static class LengthGroupedBatches
{
    private const int BatchesPerMegabatch = 50;

    public static IReadOnlyList<int[]> ForTraining(IReadOnlyList<int> lengths, int batchSize, int seed)
    {
        var order = Enumerable.Range(0, lengths.Count).ToArray();
        new Random(seed).Shuffle(order);
        var batches = new List<int[]>();
        foreach (var mega in order.Chunk(batchSize * BatchesPerMegabatch))
        {
            var sorted = mega.OrderByDescending(i => lengths[i]).ThenBy(i => i).ToArray();
            batches.AddRange(sorted.Chunk(batchSize));
        }
        return batches;
    }

    /// <summary>Evaluation needs no randomness: sorting everything by length pads least.</summary>
    public static IReadOnlyList<int[]> ForEvaluation(IReadOnlyList<int> lengths, int batchSize) =>
        Enumerable.Range(0, lengths.Count).OrderByDescending(i => lengths[i]).ThenBy(i => i).Chunk(batchSize).ToArray();
}
