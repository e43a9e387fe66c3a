using System.Text;

namespace BertPlatform.Shared.Tokenization;

/// <summary>
/// Builds a WordPiece <c>vocab.txt</c> from a corpus streamed through <see cref="AddText"/>: words are split
/// as BERT's basic tokenizer splits them (<see cref="BasicPreTokenizer"/>) and counted, then
/// <see cref="WordPieceMergeLearner"/> learns pieces. The result holds, in id order, the special tokens of the
/// chosen layout, every character seen both as a word start and as a <c>##</c> continuation (so any text
/// made of seen characters tokenizes without [UNK], as in mBERT, which lists both <c>中</c> and <c>##中</c>), then
/// the learned pieces in merge order. Only word counts are held, never the text.
/// </summary>
public sealed class WordPieceVocabularyBuilder
{
    private readonly WordPieceVocabularyOptions options;
    private readonly BasicPreTokenizer preTokenizer;
    private readonly Dictionary<string, long> wordCounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> characterCounts = new(StringComparer.Ordinal);
    private long pruneBelow = 1;

    public WordPieceVocabularyBuilder(WordPieceVocabularyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.options = options;
        preTokenizer = new BasicPreTokenizer(options.LowerCase);
    }

    /// <summary>Builds a vocabulary from sentences, lines or documents (any unit: words never span texts).</summary>
    public static IReadOnlyList<string> Build(IEnumerable<string> texts, WordPieceVocabularyOptions options)
    {
        var builder = new WordPieceVocabularyBuilder(options);
        foreach (var text in texts) builder.AddText(text);
        return builder.Build();
    }

    /// <summary>Writes one token per line, UTF-8 without a byte-order mark: the <c>vocab.txt</c> layout.</summary>
    public static void Save(IReadOnlyList<string> vocabulary, string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        File.WriteAllText(path, string.Concat(vocabulary.Select(token => token + "\n")), new UTF8Encoding(false));
    }

    public long DistinctWords => wordCounts.Count;

    public void AddText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var word in preTokenizer.Split(text))
        {
            var length = 0;
            foreach (var rune in word.EnumerateRunes())
            {
                var character = rune.ToString();
                characterCounts[character] = characterCounts.GetValueOrDefault(character) + 1;
                length++;
            }
            if (length > options.MaxInputCharsPerWord) continue;
            wordCounts[word] = wordCounts.GetValueOrDefault(word) + 1;
        }
        if (wordCounts.Count > options.MaxDistinctWords) PruneRareWords();
    }

    public IReadOnlyList<string> Build()
    {
        if (characterCounts.Count == 0)
            throw new InvalidOperationException("The corpus holds no words; a vocabulary cannot be built from it.");
        var specials = SpecialTokens.For(options.SpecialTokenLayout);
        var alphabet = characterCounts
            .OrderByDescending(entry => entry.Value)
            .ThenBy(entry => entry.Key, StringComparer.Ordinal)
            .Take(options.MaxAlphabetSize ?? int.MaxValue)
            .Select(entry => entry.Key)
            .ToList();
        var initial = new List<string>(specials.Count + 2 * alphabet.Count);
        initial.AddRange(specials);
        initial.AddRange(alphabet);
        initial.AddRange(alphabet.Select(character => WordPieceVocabulary.ContinuationPrefix + character));
        if (initial.Count > options.VocabularySize)
            throw new InvalidOperationException(
                $"The {specials.Count} special tokens and {alphabet.Count} characters seen (each also as a ## piece) " +
                $"need {initial.Count} entries, more than the requested VocabularySize {options.VocabularySize}; " +
                "raise VocabularySize, set MaxAlphabetSize, or use the compact special token layout.");

        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < initial.Count; i++) ids.TryAdd(initial[i], i);
        var words = new List<(int[] Symbols, long Count)>(wordCounts.Count);
        foreach (var (word, count) in wordCounts.OrderBy(entry => entry.Key, StringComparer.Ordinal))
        {
            var symbols = WordSymbols(word, ids);
            if (symbols is { Length: > 1 }) words.Add((symbols, count));
        }
        return new WordPieceMergeLearner(initial, words).Learn(options.VocabularySize, options.MinFrequency);
    }

    /// <summary>The word as alphabet ids (first plain, rest ##), or null if it holds a character left out of the alphabet.</summary>
    private static int[]? WordSymbols(string word, Dictionary<string, int> ids)
    {
        var symbols = new List<int>(word.Length);
        foreach (var rune in word.EnumerateRunes())
        {
            var piece = symbols.Count == 0 ? rune.ToString() : WordPieceVocabulary.ContinuationPrefix + rune;
            if (!ids.TryGetValue(piece, out var id)) return null;
            symbols.Add(id);
        }
        return [.. symbols];
    }

    /// <summary>
    /// Drops the words seen fewest times until the table is back to three quarters of its bound, raising the
    /// threshold as needed; the bound then holds at the cost of forgetting words too rare to matter for merges.
    /// </summary>
    private void PruneRareWords()
    {
        var target = options.MaxDistinctWords * 3L / 4;
        while (wordCounts.Count > target)
        {
            foreach (var (word, count) in wordCounts)
                if (count <= pruneBelow) wordCounts.Remove(word);
            if (wordCounts.Count > target) pruneBelow++;
        }
    }
}
