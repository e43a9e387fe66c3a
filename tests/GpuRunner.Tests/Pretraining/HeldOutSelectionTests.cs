using BertPlatform.Shared.Contracts;
using BertPlatform.GpuRunner.Pretraining;
using BertPlatform.Shared.Tokenization;

namespace BertPlatform.GpuRunner.Tests.Pretraining;

public sealed class HeldOutSelectionTests
{
    private const int MaxSeqLength = 64;

    private static readonly PretrainingVocabulary Vocabulary = new(
        [.. SpecialTokens.For(SpecialTokenLayout.Compact), .. Enumerable.Range(0, 500).Select(i => $"w{i}")]);

    /// <summary>Documents of eight 12-word sentences (96 words each, about two 61-token segments).</summary>
    private static List<IReadOnlyList<IReadOnlyList<string>>> Corpus(int documents)
    {
        var random = new Random(3);
        return Enumerable.Range(0, documents).Select(_ => (IReadOnlyList<IReadOnlyList<string>>)Enumerable.Range(0, 8)
            .Select(_ => (IReadOnlyList<string>)Enumerable.Range(0, 12).Select(_ => $"w{random.Next(500)}").ToArray()).ToArray()).ToList();
    }

    /// <summary>Chooses, generates the held-out instances as the runner does, and checks them.</summary>
    private static (IReadOnlySet<int> Chosen, long Predictions, int Pairs, string? Warning) HoldOut(
        List<IReadOnlyList<IReadOnlyList<string>>> corpus, PretrainingOptions options)
    {
        var selection = new HeldOutSelection(options, MaxSeqLength, seed: 11);
        for (var i = 0; i < corpus.Count; i++) selection.Offer(i, corpus[i].Sum(s => s.Count));
        var chosen = selection.Choose();
        var data = new PretrainingDataOptions { MaxSeqLength = MaxSeqLength, Job = options with { DupeFactor = 1 }, Seed = 12 };
        var instances = new PretrainingInstanceGenerator(Vocabulary, data).Generate(chosen.Order().Select(i => corpus[i]).ToList()).ToList();
        var predictions = instances.Sum(i => (long)i.MaskedPositions.Length);
        return (chosen, predictions, instances.Count, selection.Check(chosen.Count, predictions, instances.Count));
    }

    [Fact]
    public void A_large_corpus_holds_out_whole_documents_until_the_requested_sizes_not_a_fixed_share()
    {
        var options = new PretrainingOptions { HeldOutDocuments = 0.2, HeldOutMaskedPredictions = 2_000, HeldOutNextSentencePairs = 200 };
        var (chosen, predictions, pairs, warning) = HoldOut(Corpus(2_000), options);

        Assert.Null(warning);
        Assert.True(predictions >= 2_000 && pairs >= 200, $"{chosen.Count} documents gave {predictions} predictions, {pairs} pairs");
        // Far fewer than the 400 documents the cap allows: the set is sized by what it measures.
        Assert.InRange(chosen.Count, 2, 200);
    }

    [Fact]
    public void A_corpus_too_small_for_the_requested_sizes_gets_a_warning_that_names_them()
    {
        var options = new PretrainingOptions { HeldOutDocuments = 0.1, HeldOutMaskedPredictions = 10_000, HeldOutNextSentencePairs = 1_000 };
        var (chosen, predictions, pairs, warning) = HoldOut(Corpus(45), options);

        Assert.InRange(chosen.Count, 2, 4); // at most 10% of 45, at least 2
        Assert.NotNull(warning);
        Assert.Contains("too small", warning);
        Assert.Contains($"{predictions:N0} masked predictions (asked for 10,000)", warning);
        Assert.Contains($"{pairs:N0} next-sentence pairs (asked for 1,000)", warning);
        Assert.Contains("of 45 documents", warning);
    }

    [Fact]
    public void The_choice_depends_on_the_seed_only_and_a_corpus_of_three_documents_is_refused()
    {
        var options = new PretrainingOptions { HeldOutMaskedPredictions = 500, HeldOutNextSentencePairs = 50 };
        IReadOnlySet<int> Choose(int seed)
        {
            var selection = new HeldOutSelection(options, MaxSeqLength, seed);
            for (var i = 0; i < 1_000; i++) selection.Offer(i, 96);
            return selection.Choose();
        }
        Assert.Equal(Choose(1).Order(), Choose(1).Order());
        Assert.NotEqual(Choose(1).Order(), Choose(2).Order());

        var tiny = new HeldOutSelection(options, MaxSeqLength, 1);
        for (var i = 0; i < 3; i++) tiny.Offer(i, 96);
        Assert.Contains("at least 4", Assert.Throws<InvalidDataException>(() => tiny.Choose()).Message);
    }
}
