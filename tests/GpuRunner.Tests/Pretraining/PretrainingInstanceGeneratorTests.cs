using BertPlatform.Shared.Contracts;
using BertPlatform.GpuRunner.Pretraining;
using BertPlatform.Shared.Tokenization;
using Xunit.Abstractions;

namespace BertPlatform.GpuRunner.Tests.Pretraining;

public sealed class PretrainingInstanceGeneratorTests(ITestOutputHelper output)
{
    private static readonly PretrainingDataOptions SmallOptions = new()
    {
        MaxSeqLength = 64,
        Job = new PretrainingOptions { MaxPredictionsPerSequence = 10, DupeFactor = 3 },
        DocumentBufferSize = 32,
        InstanceShuffleBufferSize = 200,
        Seed = 7,
    };

    [Fact]
    public void Instances_are_cls_a_sep_b_sep_within_the_length_limit_with_matching_token_types()
    {
        var corpus = new TaggedCorpus(200);
        var vocabulary = corpus.Vocabulary;
        var instances = new PretrainingInstanceGenerator(vocabulary, SmallOptions).Generate(corpus.Documents()).ToList();

        Assert.NotEmpty(instances);
        var atLimit = 0;
        foreach (var instance in instances)
        {
            var original = TaggedCorpus.OriginalIds(instance);
            Assert.InRange(instance.Length, 5, SmallOptions.MaxSeqLength);
            Assert.Equal(vocabulary.ClsId, original[0]);
            Assert.Equal(vocabulary.SepId, original[^1]);
            var separators = Enumerable.Range(0, original.Length).Where(i => original[i] == vocabulary.SepId).ToList();
            Assert.Equal(2, separators.Count);
            var firstSep = separators[0];
            Assert.InRange(firstSep, 2, original.Length - 3); // A and B both non-empty
            for (var i = 0; i < original.Length; i++)
                Assert.Equal(i <= firstSep ? 0 : 1, instance.TokenTypeIds[i]);
            if (instance.Length == SmallOptions.MaxSeqLength) atLimit++;
        }
        // Packing fills sequences: without a short target most instances use the whole budget.
        output.WriteLine($"{instances.Count} instances, {atLimit} at the {SmallOptions.MaxSeqLength}-token limit");
        Assert.True(atLimit > instances.Count / 3, $"only {atLimit} of {instances.Count} instances reach the limit");
    }

    [Fact]
    public void Next_sentence_pairs_are_half_random_from_another_document_and_half_the_actual_continuation()
    {
        // Long documents of short sentences, like Wikipedia articles, and no short targets: chunks of a single
        // sentence, which can only take a random B, are then rare and the share measures the 50/50 coin.
        var corpus = new TaggedCorpus(300, minSentences: 40, maxSentences: 60, minSentenceLength: 3, maxSentenceLength: 15);
        var options = SmallOptions with { MaxSeqLength = 128, Job = new PretrainingOptions { DupeFactor = 5, MaxPredictionsPerSequence = 20, ShortSequenceProbability = 0 } };
        var instances = new PretrainingInstanceGenerator(corpus.Vocabulary, options).Generate(corpus.Documents()).ToList();

        var random = 0;
        foreach (var instance in instances)
        {
            var original = TaggedCorpus.OriginalIds(instance);
            var a = SegmentOrigins(corpus, instance, original, segment: 0);
            var b = SegmentOrigins(corpus, instance, original, segment: 1);
            var aDocument = Assert.Single(a.Select(o => o.Document).Distinct());
            var bDocument = Assert.Single(b.Select(o => o.Document).Distinct());
            Assert.Equal(aDocument, instance.SourceDocument); // what evaluation scores the instance's language by
            if (instance.IsRandomNext)
            {
                random++;
                Assert.NotEqual(aDocument, bDocument);
                Assert.Equal(1, instance.NextSentenceLabel);
            }
            else
            {
                Assert.Equal(aDocument, bDocument);
                // The actual next segment starts after A's last sentence, in document order.
                Assert.True(a.Max(o => o.Sentence) < b.Min(o => o.Sentence));
                Assert.Equal(0, instance.NextSentenceLabel);
            }
        }
        var share = (double)random / instances.Count;
        output.WriteLine($"{instances.Count} instances, random next share {share:P2}");
        // The coin gives 50%; the last chunk of a document can hold a single sentence, which forces a random B.
        // Google's create_instances_from_document on this corpus shape gives 52.5% (Python, seeds 7 and 8).
        Assert.InRange(share, 0.505, 0.545);
    }

    [Fact]
    public void A_chunk_of_one_sentence_always_takes_a_random_next_segment_as_in_google_code()
    {
        var corpus = new TaggedCorpus(100, minSentences: 1, maxSentences: 1);
        var instances = new PretrainingInstanceGenerator(corpus.Vocabulary, SmallOptions).Generate(corpus.Documents()).ToList();
        Assert.NotEmpty(instances);
        Assert.All(instances, instance => Assert.True(instance.IsRandomNext));
    }

    [Fact]
    public void A_seed_reproduces_the_same_instances_and_another_seed_does_not()
    {
        var corpus = new TaggedCorpus(80);
        List<PretrainingInstance> Run(long seed) =>
            new PretrainingInstanceGenerator(corpus.Vocabulary, SmallOptions with { Seed = seed })
                .Generate(corpus.Documents()).ToList();

        var first = Run(11);
        var second = Run(11);
        var other = Run(12);

        Assert.Equal(first.Count, second.Count);
        for (var i = 0; i < first.Count; i++)
        {
            Assert.Equal(first[i].InputIds, second[i].InputIds);
            Assert.Equal(first[i].TokenTypeIds, second[i].TokenTypeIds);
            Assert.Equal(first[i].MaskedLmLabels, second[i].MaskedLmLabels);
            Assert.Equal(first[i].MaskedPositions, second[i].MaskedPositions);
            Assert.Equal(first[i].IsRandomNext, second[i].IsRandomNext);
        }
        Assert.False(first.Count == other.Count && first.Zip(other).All(p => p.First.InputIds.SequenceEqual(p.Second.InputIds)));
    }

    [Fact]
    public void A_corpus_far_larger_than_the_document_buffer_streams_with_bounded_read_ahead()
    {
        var corpus = new TaggedCorpus(3_000, maxSentences: 6, maxSentenceLength: 12);
        var options = SmallOptions with { DocumentBufferSize = 16, InstanceShuffleBufferSize = 8, Job = SmallOptions.Job with { DupeFactor = 2 } };
        var generator = new PretrainingInstanceGenerator(corpus.Vocabulary, options);

        using var stream = generator.Generate(corpus.Documents()).GetEnumerator();
        Assert.True(stream.MoveNext());
        // The first instance needs only the document window (plus the instances shuffled behind it).
        Assert.InRange(corpus.DocumentsProduced, 1, options.DocumentBufferSize + options.InstanceShuffleBufferSize + 1);

        var documentsInA = new HashSet<int>();
        var count = 0;
        var maxDistance = 0;
        long distanceSum = 0, randomCount = 0;
        do
        {
            var instance = stream.Current;
            var original = TaggedCorpus.OriginalIds(instance);
            var a = SegmentOrigins(corpus, instance, original, 0)[0].Document;
            var b = SegmentOrigins(corpus, instance, original, 1)[0].Document;
            documentsInA.Add(a);
            if (instance.IsRandomNext)
            {
                Assert.NotEqual(a, b);
                maxDistance = Math.Max(maxDistance, Math.Abs(a - b));
                distanceSum += Math.Abs(a - b);
                randomCount++;
            }
            count++;
        } while (stream.MoveNext());

        Assert.Equal(options.Job.DupeFactor, corpus.Enumerations);
        Assert.Equal(options.Job.DupeFactor * corpus.DocumentCount, corpus.DocumentsProduced);
        Assert.Equal(corpus.DocumentCount, documentsInA.Count); // every document contributed
        // Random segments come from the window around the current document (a document can linger in the window,
        // so the distance has a tail), not from the whole corpus, where the mean distance would be about 1,000.
        var meanDistance = (double)distanceSum / randomCount;
        output.WriteLine($"{count} instances from {corpus.DocumentCount} documents x{options.Job.DupeFactor}, " +
            $"random segment document distance: mean {meanDistance:F1}, max {maxDistance}");
        Assert.InRange(meanDistance, 1, 3 * options.DocumentBufferSize);
    }

    [Fact]
    public void Short_sequence_probability_produces_shorter_instances()
    {
        var corpus = new TaggedCorpus(150);
        double MeanLength(double shortSeqProb) =>
            new PretrainingInstanceGenerator(corpus.Vocabulary, SmallOptions with { Job = SmallOptions.Job with { ShortSequenceProbability = shortSeqProb } })
                .Generate(corpus.Documents()).Average(i => i.Length);

        var full = MeanLength(0);
        var alwaysShort = MeanLength(1);
        output.WriteLine($"mean length: short_seq_prob 0 -> {full:F1}, 1 -> {alwaysShort:F1}");
        Assert.True(alwaysShort < full * 0.8, $"{alwaysShort} vs {full}");
    }

    [Fact]
    public void Empty_sentences_and_documents_are_skipped()
    {
        var corpus = new TaggedCorpus(10);
        IEnumerable<IReadOnlyList<IReadOnlyList<string>>> WithGaps()
        {
            foreach (var document in corpus.Documents())
            {
                yield return [];
                yield return [[], .. document, []];
            }
        }
        var instances = new PretrainingInstanceGenerator(corpus.Vocabulary, SmallOptions).Generate(WithGaps()).ToList();
        Assert.NotEmpty(instances);
        Assert.All(instances, i => Assert.True(i.Length >= 5));
    }

    [Fact]
    public void A_token_missing_from_the_vocabulary_is_reported_with_its_place()
    {
        var corpus = new TaggedCorpus(3);
        IReadOnlyList<IReadOnlyList<string>>[] documents = [corpus.Document(0), [["d1s0", "unknown-piece"]]];
        var generator = new PretrainingInstanceGenerator(corpus.Vocabulary, SmallOptions);

        var error = Assert.Throws<ArgumentException>(() => generator.Generate(documents).ToList());
        Assert.Contains("Document 1, sentence 0, token 1: 'unknown-piece'", error.Message);
    }

    [Fact]
    public void A_single_document_corpus_is_rejected_because_next_sentence_prediction_needs_two()
    {
        var corpus = new TaggedCorpus(1);
        var generator = new PretrainingInstanceGenerator(corpus.Vocabulary, SmallOptions);
        var error = Assert.Throws<InvalidOperationException>(() => generator.Generate(corpus.Documents()).ToList());
        Assert.Contains("single non-empty document", error.Message);
    }

    [Fact]
    public void Options_out_of_range_are_rejected_by_name()
    {
        var corpus = new TaggedCorpus(2);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new PretrainingInstanceGenerator(corpus.Vocabulary, SmallOptions with { DocumentBufferSize = 1 }));
        Assert.Equal(nameof(PretrainingDataOptions.DocumentBufferSize), error.ParamName);
    }

    private static List<(int Document, int Sentence)> SegmentOrigins(TaggedCorpus corpus, PretrainingInstance instance,
        int[] original, int segment) =>
        Enumerable.Range(0, original.Length)
            .Where(i => instance.TokenTypeIds[i] == segment && original[i] != corpus.Vocabulary.ClsId
                && original[i] != corpus.Vocabulary.SepId)
            .Select(i => corpus.Origin(original[i]))
            .ToList();
}
