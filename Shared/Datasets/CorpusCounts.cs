namespace BertPlatform.Shared.Datasets;

/// <summary>
/// A corpus in the units its author thinks in: documents, sentences (lines of the text format, or the sentences
/// of a JSONL record's text) and words (runs of non-whitespace characters).
/// </summary>
public sealed record CorpusCounts(long Documents, long Sentences, long Words)
{
    public static CorpusCounts Of(CorpusDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new(1, document.Sentences.Count, document.Sentences.Sum(s => (long)CountWords(s)));
    }

    public CorpusCounts Add(CorpusCounts other) =>
        new(Documents + other.Documents, Sentences + other.Sentences, Words + other.Words);

    /// <summary>Words as a reader counts them: whitespace-separated, punctuation attached to its word.</summary>
    public static int CountWords(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (words, inWord) = (0, false);
        foreach (var c in text)
        {
            var isSpace = char.IsWhiteSpace(c);
            if (!isSpace && !inWord) words++;
            inWord = !isSpace;
        }
        return words;
    }
}
