namespace BertPlatform.GpuRunner.Pretraining;

/// <summary>
/// The streaming stand-in for Google's in-memory corpus: a window of at most <c>capacity</c> documents.
/// Google shuffles all documents and draws random next segments from any of them; here the documents are
/// yielded in random order from the window, and <see cref="DrawOtherDocument"/> picks uniformly among the
/// other documents in the window at that moment (earlier and later documents of the stream alike, since the
/// window reads ahead). Memory is bounded by the window, not the corpus; the price is that a random segment
/// only comes from within about <c>capacity</c> documents of the current one in stream order, so a corpus
/// sorted by topic should be interleaved before upload.
/// </summary>
public sealed class DocumentShuffleBuffer
{
    private readonly int capacity;
    private readonly PretrainingRandom random;
    private readonly List<IReadOnlyList<int[]>> slots = [];
    private int currentSlot = -1;

    public DocumentShuffleBuffer(int capacity, PretrainingRandom random)
    {
        if (capacity < 2)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity,
                "The buffer needs room for at least two documents.");
        this.capacity = capacity;
        this.random = random;
    }

    /// <summary>Yields every document of the stream exactly once, in window-shuffled order.</summary>
    public IEnumerable<IReadOnlyList<int[]>> Shuffle(IEnumerable<IReadOnlyList<int[]>> documents)
    {
        slots.Clear();
        currentSlot = -1;
        foreach (var document in documents)
        {
            if (slots.Count < capacity)
            {
                slots.Add(document);
                continue;
            }
            // Full: every slot still awaits its turn, so emit a random one and refill its slot.
            currentSlot = random.NextInt(0, slots.Count - 1);
            yield return slots[currentSlot];
            slots[currentSlot] = document;
        }

        if (slots.Count == 1)
            throw new InvalidOperationException(
                "The corpus has a single non-empty document; next-sentence prediction needs at least two documents " +
                "(separate documents with a blank line).");

        // Drain: the slots not yet emitted are the first `pending` ones; emitted ones move behind them but stay
        // in the window as random-segment sources, so the last documents still have others to draw from.
        for (var pending = slots.Count; pending > 0; pending--)
        {
            var pick = random.NextInt(0, pending - 1);
            (slots[pick], slots[pending - 1]) = (slots[pending - 1], slots[pick]);
            currentSlot = pending - 1;
            yield return slots[currentSlot];
        }
        currentSlot = -1;
    }

    /// <summary>A uniformly drawn document of the window other than the one last yielded.</summary>
    public IReadOnlyList<int[]> DrawOtherDocument()
    {
        if (currentSlot < 0)
            throw new InvalidOperationException("No document is being processed; draw only while enumerating Shuffle.");
        var pick = random.NextInt(0, slots.Count - 2);
        return slots[pick >= currentSlot ? pick + 1 : pick];
    }
}
