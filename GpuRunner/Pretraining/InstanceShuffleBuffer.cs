namespace BertPlatform.GpuRunner.Pretraining;

/// <summary>
/// Bounded shuffle of a stream (the approach of <c>tf.data.Dataset.shuffle</c>): hold up to <c>capacity</c>
/// items, emit a random held one each time a new one arrives, then drain in random order. It stands in for
/// Google's shuffle of all instances, which would need the whole output in memory.
/// </summary>
public static class InstanceShuffleBuffer
{
    public static IEnumerable<T> Shuffle<T>(IEnumerable<T> items, int capacity, PretrainingRandom random)
    {
        if (capacity < 1)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The shuffle buffer needs room for one item.");
        var held = new List<T>(Math.Min(capacity, 4096));
        foreach (var item in items)
        {
            if (held.Count < capacity)
            {
                held.Add(item);
                continue;
            }
            var pick = random.NextInt(0, held.Count - 1);
            yield return held[pick];
            held[pick] = item;
        }
        random.Shuffle(held);
        foreach (var item in held) yield return item;
    }
}
