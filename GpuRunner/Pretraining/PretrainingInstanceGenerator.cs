using BertPlatform.Shared.Contracts;

namespace BertPlatform.GpuRunner.Pretraining;

/// <summary>
/// Turns a stream of tokenized documents into masked-LM / next-sentence instances, Google's
/// <c>create_training_instances</c> reworked for corpora larger than memory: documents are read lazily,
/// each of the <see cref="PretrainingOptions.DupeFactor"/> passes enumerates the source again, and the two
/// whole-corpus shuffles become bounded buffers (<see cref="DocumentShuffleBuffer"/>,
/// <see cref="InstanceShuffleBuffer"/>). Everything else (packing, the 50/50 next-sentence choice, truncation,
/// masking) follows the reference, drawing from one random stream seeded by
/// <see cref="PretrainingDataOptions.Seed"/>, so the same corpus and options always give the same instances;
/// a resumed job regenerates the stream and skips the instances it already trained on.
/// </summary>
public sealed class PretrainingInstanceGenerator
{
    private readonly PretrainingVocabulary vocabulary;
    private readonly PretrainingDataOptions options;
    private readonly SegmentPairCreator pairCreator;
    private readonly MaskedLanguageModelMasker masker;

    public PretrainingInstanceGenerator(PretrainingVocabulary vocabulary, PretrainingDataOptions options)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.vocabulary = vocabulary;
        this.options = options;
        pairCreator = new SegmentPairCreator(options.MaxSeqLength, options.Job.ShortSequenceProbability);
        masker = new MaskedLanguageModelMasker(vocabulary, options.Job.MaskedLmProbability, options.Job.MaxPredictionsPerSequence,
            options.Job.WholeWordMask);
    }

    /// <summary>
    /// Lazily creates the instances. <paramref name="documents"/> is enumerated once per dupe pass, so it must
    /// be re-enumerable (an iterator method that reopens the corpus is; a one-shot reader is not). Each document
    /// is a list of sentences, each sentence its word-piece tokens; empty sentences and documents are skipped,
    /// as Google's reader skips them.
    /// </summary>
    public IEnumerable<PretrainingInstance> Generate(IEnumerable<IReadOnlyList<IReadOnlyList<string>>> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        return GenerateCore(documents);
    }

    private IEnumerable<PretrainingInstance> GenerateCore(IEnumerable<IReadOnlyList<IReadOnlyList<string>>> documents)
    {
        var random = new PretrainingRandom(options.Seed);
        return InstanceShuffleBuffer.Shuffle(AllPasses(documents, random), options.InstanceShuffleBufferSize, random);
    }

    private IEnumerable<PretrainingInstance> AllPasses(IEnumerable<IReadOnlyList<IReadOnlyList<string>>> documents,
        PretrainingRandom random)
    {
        var window = new DocumentShuffleBuffer(options.DocumentBufferSize, random);
        for (var pass = 0; pass < options.Job.DupeFactor; pass++)
        {
            foreach (var document in window.Shuffle(ToIds(documents)))
            {
                foreach (var pair in pairCreator.CreatePairs(document, window.DrawOtherDocument, random))
                    yield return ToInstance(pair, ((IdDocument)document).Index, random);
            }
        }
    }

    private PretrainingInstance ToInstance(SegmentPair pair, int sourceDocument, PretrainingRandom random)
    {
        var length = pair.TokensA.Length + pair.TokensB.Length + 3;
        var tokens = new int[length];
        var tokenTypeIds = new int[length];
        tokens[0] = vocabulary.ClsId;
        pair.TokensA.CopyTo(tokens, 1);
        var firstSep = pair.TokensA.Length + 1;
        tokens[firstSep] = vocabulary.SepId;
        pair.TokensB.CopyTo(tokens, firstSep + 1);
        tokens[^1] = vocabulary.SepId;
        Array.Fill(tokenTypeIds, 1, firstSep + 1, length - firstSep - 1);

        var masked = masker.Mask(tokens, random);
        return new PretrainingInstance(masked.InputIds, tokenTypeIds, masked.Labels, masked.Positions, pair.IsRandomNext) { SourceDocument = sourceDocument };
    }

    /// <summary>A document's sentences as ids, with its position among the documents the generator was given.</summary>
    private sealed class IdDocument(int index, int capacity) : List<int[]>(capacity)
    {
        public int Index { get; } = index;
    }

    private IEnumerable<IReadOnlyList<int[]>> ToIds(IEnumerable<IReadOnlyList<IReadOnlyList<string>>> documents)
    {
        var documentIndex = 0;
        foreach (var document in documents)
        {
            var sentences = new IdDocument(documentIndex, document.Count);
            for (var s = 0; s < document.Count; s++)
            {
                var sentence = document[s];
                if (sentence.Count == 0) continue;
                var ids = new int[sentence.Count];
                for (var t = 0; t < sentence.Count; t++)
                    ids[t] = vocabulary.TryGetId(sentence[t]) ?? throw new ArgumentException(
                        $"Document {documentIndex}, sentence {s}, token {t}: '{sentence[t]}' is not in the vocabulary; " +
                        "tokenize the corpus with the vocabulary given to the generator.");
                sentences.Add(ids);
            }
            if (sentences.Count > 0) yield return sentences;
            documentIndex++;
        }
    }
}
