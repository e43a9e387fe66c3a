namespace BertPlatform.GpuRunner.Training;

/// <summary>
/// A seeded shuffle of a stream through a fixed-size buffer (tf.data's and Hugging Face datasets' shuffle buffer):
/// each output is drawn at random from the next <c>size</c> examples, so a file sorted by label still trains on mixed
/// batches while memory holds one buffer. The same seed gives the same order, which a resumed epoch relies on.
/// </summary>
public static class ShuffleBuffer
{
    public static IEnumerable<T> Shuffle<T>(IEnumerable<T> source, int size, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var random = new Random(seed);
        var buffer = new List<T>(size);
        foreach (var item in source)
        {
            if (buffer.Count < size)
            {
                buffer.Add(item);
                continue;
            }
            var pick = random.Next(size);
            yield return buffer[pick];
            buffer[pick] = item;
        }
        // The tail in a random order too.
        while (buffer.Count > 0)
        {
            var pick = random.Next(buffer.Count);
            yield return buffer[pick];
            buffer[pick] = buffer[^1];
            buffer.RemoveAt(buffer.Count - 1);
        }
    }
}
