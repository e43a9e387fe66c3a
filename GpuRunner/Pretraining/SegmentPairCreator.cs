namespace BertPlatform.GpuRunner.Pretraining;

/// <summary>
/// Splits one document into next-sentence pairs, a port of the packing half of Google's
/// <c>create_instances_from_document</c>. Sentences are gathered into a chunk until it reaches the target
/// length (the full budget, or with <c>shortSeqProb</c> a random length from 2 up); a random prefix of the
/// chunk's sentences becomes A. B is the rest of the chunk (actual next) or, half the time and always when the
/// chunk holds one sentence, a run of sentences from a random point of another document (random next), in
/// which case the chunk's unused sentences are put back to start the next chunk. The pair is then truncated
/// to the budget. Pairs are yielded lazily so the caller's use of the same random stream interleaves exactly
/// as in Google's loop.
/// </summary>
public sealed class SegmentPairCreator
{
    private readonly int maxNumTokens;
    private readonly double shortSeqProb;

    /// <param name="maxSeqLength">Sequence limit including [CLS] and two [SEP]s, so segments share <c>maxSeqLength - 3</c>.</param>
    public SegmentPairCreator(int maxSeqLength, double shortSeqProb)
    {
        if (maxSeqLength < 5)
            throw new ArgumentOutOfRangeException(nameof(maxSeqLength), maxSeqLength, "maxSeqLength must be at least 5.");
        if (shortSeqProb is < 0 or > 1 || double.IsNaN(shortSeqProb))
            throw new ArgumentOutOfRangeException(nameof(shortSeqProb), shortSeqProb, "shortSeqProb must be in [0, 1].");
        maxNumTokens = maxSeqLength - 3;
        this.shortSeqProb = shortSeqProb;
    }

    /// <param name="document">Non-empty sentences of token ids.</param>
    /// <param name="drawOtherDocument">Returns a random document other than this one, each call a fresh draw.</param>
    public IEnumerable<SegmentPair> CreatePairs(IReadOnlyList<int[]> document, Func<IReadOnlyList<int[]>> drawOtherDocument,
        PretrainingRandom random)
    {
        var targetSeqLength = maxNumTokens;
        if (random.NextDouble() < shortSeqProb)
            targetSeqLength = random.NextInt(2, maxNumTokens);

        var currentChunk = new List<int[]>();
        var currentLength = 0;
        var i = 0;
        while (i < document.Count)
        {
            var segment = document[i];
            currentChunk.Add(segment);
            currentLength += segment.Length;
            if (i == document.Count - 1 || currentLength >= targetSeqLength)
            {
                // How many of the chunk's sentences go into A.
                var aEnd = currentChunk.Count >= 2 ? random.NextInt(1, currentChunk.Count - 1) : 1;
                var tokensA = new List<int>(currentLength);
                for (var j = 0; j < aEnd; j++) tokensA.AddRange(currentChunk[j]);

                var tokensB = new List<int>();
                bool isRandomNext;
                if (currentChunk.Count == 1 || random.NextDouble() < 0.5)
                {
                    isRandomNext = true;
                    var targetBLength = targetSeqLength - tokensA.Count;
                    var randomDocument = drawOtherDocument();
                    var randomStart = random.NextInt(0, randomDocument.Count - 1);
                    for (var j = randomStart; j < randomDocument.Count; j++)
                    {
                        tokensB.AddRange(randomDocument[j]);
                        if (tokensB.Count >= targetBLength) break;
                    }
                    // The sentences B did not use are put back so they open the next chunk instead of going to waste.
                    i -= currentChunk.Count - aEnd;
                }
                else
                {
                    isRandomNext = false;
                    for (var j = aEnd; j < currentChunk.Count; j++) tokensB.AddRange(currentChunk[j]);
                }

                var (a, b) = SegmentPairTruncation.Truncate(tokensA, tokensB, maxNumTokens, random);
                yield return new SegmentPair(a, b, isRandomNext);
                currentChunk.Clear();
                currentLength = 0;
            }
            i++;
        }
    }
}
