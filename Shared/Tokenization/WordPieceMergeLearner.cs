namespace BertPlatform.Shared.Tokenization;

/// <summary>
/// Learns word pieces the way Hugging Face's <c>WordPieceTrainer</c> does: byte-pair-encoding merges over
/// counted words, with non-initial characters carrying the <c>##</c> continuation prefix. Each word starts as
/// its characters (<c>w ##o ##r ##d</c>); the most frequent adjacent pair (ties: lower symbol ids, i.e. earlier
/// symbols first) is merged into a new piece (<c>w</c> + <c>##o</c> = <c>wo</c>, <c>##o</c> + <c>##r</c> =
/// <c>##or</c>) until the vocabulary is full or no pair is frequent enough. (Google's own WordPiece learner is
/// likelihood-based and unpublished; frequency-based merges are what the open tooling uses.)
/// </summary>
public sealed class WordPieceMergeLearner
{
    private readonly List<string> symbols;
    private readonly Dictionary<string, int> symbolIds;
    private readonly List<int>[] words;
    private readonly long[] wordCounts;
    private readonly Dictionary<long, long> pairCounts = [];
    private readonly Dictionary<long, HashSet<int>> pairWords = [];
    private readonly PriorityQueue<long, (long Count, long Pair)> queue = new(QueueOrder.Instance);

    /// <param name="initialSymbols">Tokens already in the vocabulary, in id order: specials and the alphabet.</param>
    /// <param name="wordSymbols">Each word as symbols of <paramref name="initialSymbols"/> (first plain, rest ##).</param>
    public WordPieceMergeLearner(IReadOnlyList<string> initialSymbols, IReadOnlyList<(int[] Symbols, long Count)> wordSymbols)
    {
        symbols = [.. initialSymbols];
        symbolIds = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < symbols.Count; i++) symbolIds.Add(symbols[i], i);
        words = new List<int>[wordSymbols.Count];
        wordCounts = new long[wordSymbols.Count];
        for (var w = 0; w < wordSymbols.Count; w++)
        {
            words[w] = [.. wordSymbols[w].Symbols];
            wordCounts[w] = wordSymbols[w].Count;
            AddPairs(w, +1, null);
        }
        foreach (var (pair, count) in pairCounts) queue.Enqueue(pair, (count, pair));
    }

    /// <summary>Merges until <paramref name="vocabularySize"/> symbols exist or no pair reaches <paramref name="minFrequency"/>.</summary>
    public IReadOnlyList<string> Learn(int vocabularySize, long minFrequency)
    {
        while (symbols.Count < vocabularySize && queue.TryDequeue(out var pair, out var queued))
        {
            var count = pairCounts.GetValueOrDefault(pair);
            if (count != queued.Count)
            {
                // Stale entry: the pair lost occurrences to earlier merges; requeue it at its true count.
                if (count > 0) queue.Enqueue(pair, (count, pair));
                continue;
            }
            if (count < minFrequency) break;
            Merge(pair);
        }
        return symbols;
    }

    private void Merge(long pair)
    {
        var (left, right) = Split(pair);
        var merged = symbols[left] + symbols[right][WordPieceVocabulary.ContinuationPrefix.Length..];
        if (!symbolIds.TryGetValue(merged, out var mergedId))
        {
            // Another merge order may already have produced the same string; then it gets no second entry.
            mergedId = symbols.Count;
            symbols.Add(merged);
            symbolIds.Add(merged, mergedId);
        }

        var grown = new HashSet<long>();
        foreach (var w in pairWords[pair])
        {
            var word = words[w];
            // Word lists are not pruned when a word loses a pair, so a listed word may no longer hold it.
            if (!Contains(word, left, right)) continue;
            AddPairs(w, -1, null);
            for (var i = 0; i < word.Count - 1; i++)
            {
                if (word[i] != left || word[i + 1] != right) continue;
                word[i] = mergedId;
                word.RemoveAt(i + 1);
            }
            AddPairs(w, +1, grown);
        }
        pairWords.Remove(pair);
        pairCounts.Remove(pair);
        foreach (var changed in grown)
            if (pairCounts.TryGetValue(changed, out var count)) queue.Enqueue(changed, (count, changed));
    }

    /// <summary>Adds (sign +1) or removes (-1) a word's adjacent pairs, weighted by the word's count.</summary>
    private void AddPairs(int w, int sign, HashSet<long>? grown)
    {
        var word = words[w];
        for (var i = 0; i < word.Count - 1; i++)
        {
            var pair = Join(word[i], word[i + 1]);
            var count = pairCounts.GetValueOrDefault(pair) + sign * wordCounts[w];
            if (count <= 0)
            {
                pairCounts.Remove(pair);
                continue;
            }
            pairCounts[pair] = count;
            if (sign > 0)
            {
                if (!pairWords.TryGetValue(pair, out var holders)) pairWords[pair] = holders = [];
                holders.Add(w);
                grown?.Add(pair);
            }
        }
    }

    private static bool Contains(List<int> word, int left, int right)
    {
        for (var i = 0; i < word.Count - 1; i++)
            if (word[i] == left && word[i + 1] == right) return true;
        return false;
    }

    private static long Join(int left, int right) => ((long)left << 32) | (uint)right;

    private static (int Left, int Right) Split(long pair) => ((int)(pair >> 32), (int)(pair & 0xFFFFFFFF));

    /// <summary>Highest count first; among equals the lower pair key, for a result independent of hashing.</summary>
    private sealed class QueueOrder : IComparer<(long Count, long Pair)>
    {
        public static readonly QueueOrder Instance = new();

        public int Compare((long Count, long Pair) x, (long Count, long Pair) y) =>
            x.Count != y.Count ? y.Count.CompareTo(x.Count) : x.Pair.CompareTo(y.Pair);
    }
}
