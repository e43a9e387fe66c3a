using BertPlatform.GpuRunner.Pretraining;
using BertPlatform.Shared.Tokenization;

namespace BertPlatform.GpuRunner.Tests.Pretraining;

/// <summary>
/// A lazily generated corpus whose every token names its origin: token <c>d{document}s{sentence}</c>, so a test
/// can tell from an instance which document and sentence each segment came from. Documents are rebuilt from
/// their index on every enumeration, so nothing is held in memory and passes see the same corpus.
/// </summary>
public sealed class TaggedCorpus
{
    public TaggedCorpus(int documents, int minSentences = 2, int maxSentences = 12, int minSentenceLength = 2,
        int maxSentenceLength = 25)
    {
        DocumentCount = documents;
        MinSentences = minSentences;
        MaxSentences = maxSentences;
        MinSentenceLength = minSentenceLength;
        MaxSentenceLength = maxSentenceLength;
        var tokens = new List<string>(SpecialTokens.For(SpecialTokenLayout.Compact));
        for (var d = 0; d < documents; d++)
            for (var s = 0; s < maxSentences; s++) tokens.Add(Token(d, s));
        Vocabulary = new PretrainingVocabulary(tokens);
    }

    public int DocumentCount { get; }

    public int MinSentences { get; }

    public int MaxSentences { get; }

    public int MinSentenceLength { get; }

    public int MaxSentenceLength { get; }

    public PretrainingVocabulary Vocabulary { get; }

    /// <summary>How many documents have been produced over all enumerations.</summary>
    public int DocumentsProduced { get; private set; }

    /// <summary>How many times the corpus has been enumerated from the start.</summary>
    public int Enumerations { get; private set; }

    public static string Token(int document, int sentence) => $"d{document}s{sentence}";

    public IEnumerable<IReadOnlyList<IReadOnlyList<string>>> Documents()
    {
        Enumerations++;
        for (var d = 0; d < DocumentCount; d++)
        {
            DocumentsProduced++;
            yield return Document(d);
        }
    }

    public IReadOnlyList<IReadOnlyList<string>> Document(int d)
    {
        var random = new PretrainingRandom(d);
        var sentenceCount = random.NextInt(MinSentences, MaxSentences);
        var sentences = new List<IReadOnlyList<string>>(sentenceCount);
        for (var s = 0; s < sentenceCount; s++)
            sentences.Add(Enumerable.Repeat(Token(d, s), random.NextInt(MinSentenceLength, MaxSentenceLength)).ToList());
        return sentences;
    }

    /// <summary>(document, sentence) of a token id produced by this corpus.</summary>
    public (int Document, int Sentence) Origin(int id)
    {
        var token = Vocabulary.Tokens[id];
        var s = token.IndexOf('s');
        return (int.Parse(token[1..s]), int.Parse(token[(s + 1)..]));
    }

    /// <summary>The instance's tokens before masking corrupted them.</summary>
    public static int[] OriginalIds(PretrainingInstance instance) =>
        instance.InputIds.Select((id, i) => instance.MaskedLmLabels[i] == PretrainingInstance.NotPredicted
            ? id : instance.MaskedLmLabels[i]).ToArray();
}
