using BertPlatform.GpuRunner.Modeling;
using BertPlatform.GpuRunner.Training;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Insight;
using BertPlatform.Shared.Metrics;
using BertPlatform.Shared.Tokenization;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tasks;

/// <summary>
/// A tokenized sentence: one label per word piece (-100 where the loss ignores it), the word each piece came
/// from, and the words' gold tags for entity-level scoring. Evaluation features carry the sentence's language (the
/// dataset's tag, else detected), so every evaluation also scores each language's sentences apart.
/// </summary>
public sealed record TokenClassificationFeature(int[] InputIds, int[] Labels, int?[] WordIds, string[] WordTags, string? Language = null) : ISequenceFeature
{
    public int Length => InputIds.Length;
}

/// <summary>NER / POS tagging as BertForTokenClassification trains it, scored per entity (seqeval, strict IOB2).</summary>
public sealed class TokenClassificationTask(LabelSpace tags, int padTokenId, bool labelAllSubwords) : ITrainingTask<TokenClassificationFeature>
{
    public const int Ignored = -100;

    public LabelSpace Tags => tags;

    public TokenClassificationFeature Encode(TokenClassificationExample example, BertTextTokenizer tokenizer, int maxLength)
    {
        var encoding = tokenizer.EncodeWords(example.Tokens, new EncodeOptions { MaxLength = maxLength, Truncation = TruncationStrategy.LongestFirst });
        var labels = new int[encoding.Length];
        int? previousWord = null;
        for (var i = 0; i < encoding.Length; i++)
        {
            var word = encoding.WordIds[i];
            if (word is not { } w) labels[i] = Ignored;
            else if (w != previousWord) labels[i] = tags.IdOf(example.Tags[w], $"row {example.Row}, word {w + 1}");
            else labels[i] = labelAllSubwords ? tags.IdOf(ContinuationTag(example.Tags[w]), $"row {example.Row}, word {w + 1}") : Ignored;
            previousWord = word;
        }
        // Words cut off by truncation are not scored: the model never saw them.
        var wordsSeen = encoding.WordIds.Where(w => w.HasValue).Select(w => w!.Value).DefaultIfEmpty(-1).Max() + 1;
        return new TokenClassificationFeature(encoding.InputIds.ToArray(), labels, encoding.WordIds.ToArray(), example.Tags.Take(wordsSeen).ToArray());
    }

    /// <summary>An evaluation feature: encoded as for training, with the sentence's language.</summary>
    public TokenClassificationFeature EncodeForEvaluation(TokenClassificationExample example, BertTextTokenizer tokenizer, int maxLength) =>
        Encode(example, tokenizer, maxLength) with { Language = example.Language ?? LanguageIdentifier.Identify(string.Join(' ', example.Tokens)) };

    /// <summary>A later piece of a B-X word continues the entity: it is I-X (when the label set has it).</summary>
    private string ContinuationTag(string tag) =>
        tag.StartsWith("B-", StringComparison.Ordinal) && tags.Names.Contains("I-" + tag[2..]) ? "I-" + tag[2..] : tag;

    public BertBatch Collate(IReadOnlyList<TokenClassificationFeature> features, Device device)
    {
        var ids = features.Select(f => (IReadOnlyList<int>)f.InputIds).ToArray();
        return new BertBatch
        {
            InputIds = Padding.Stack(ids, padTokenId, device),
            TokenTypeIds = Padding.Stack(features.Select(f => (IReadOnlyList<int>)new int[f.Length]).ToArray(), 0, device),
            AttentionMask = Padding.Mask(ids, device),
            Labels = Padding.Stack(features.Select(f => (IReadOnlyList<int>)f.Labels).ToArray(), Ignored, device),
        };
    }

    /// <summary>Word-level tags from piece-level logits: each word takes the prediction of its first piece.</summary>
    public static string[] WordTags(float[,] logits, IReadOnlyList<int?> wordIds, IReadOnlyList<string> tagNames)
    {
        var words = new List<string>();
        int? previous = null;
        for (var t = 0; t < wordIds.Count; t++)
        {
            if (wordIds[t] is { } w && w != previous)
            {
                var best = 0;
                for (var c = 1; c < logits.GetLength(1); c++) if (logits[t, c] > logits[t, best]) best = c;
                words.Add(tagNames[best]);
            }
            previous = wordIds[t];
        }
        return words.ToArray();
    }

    public ITaskEvaluation<TokenClassificationFeature> BeginEvaluation() => new Evaluation(tags);

    private sealed class Evaluation(LabelSpace tags) : ITaskEvaluation<TokenClassificationFeature>
    {
        private readonly List<IReadOnlyList<string>> gold = [], predicted = [];
        private readonly List<string?> languages = [];

        private static readonly string[] PerLanguageMetrics = [MetricNames.Precision, MetricNames.Recall, MetricNames.F1, MetricNames.Accuracy];

        public void Add(IReadOnlyList<TokenClassificationFeature> features, BertOutput output)
        {
            var logits = output.Logits!.to(CPU).to(float32);
            var (width, classes) = ((int)logits.shape[1], (int)logits.shape[2]);
            var values = logits.data<float>().ToArray();
            for (var row = 0; row < features.Count; row++)
            {
                var rowLogits = new float[width, classes];
                Buffer.BlockCopy(values, row * width * classes * sizeof(float), rowLogits, 0, width * classes * sizeof(float));
                gold.Add(features[row].WordTags);
                predicted.Add(WordTags(rowLogits, features[row].WordIds, tags.Names));
                languages.Add(features[row].Language);
            }
        }

        public IReadOnlyDictionary<string, double> Complete()
        {
            var metrics = new Dictionary<string, double>(TokenClassificationMetrics.Compute(gold, predicted));
            foreach (var (name, value) in MetricBreakdown.ByLanguage(languages, Score)) metrics[name] = value;
            return metrics;
        }

        /// <summary>
        /// Entity-level metrics of one language's sentences, counted on those sentences alone as the overall ones are on
        /// all. The per-type figures stay overall: per language and per set they would multiply the metrics every event
        /// and the job record carry (a record's JSON must fit one Table Storage entity).
        /// </summary>
        private IReadOnlyDictionary<string, double> Score(int[] sentences) =>
            TokenClassificationMetrics.Compute(sentences.Select(i => gold[i]).ToArray(), sentences.Select(i => predicted[i]).ToArray())
                .Where(m => PerLanguageMetrics.Contains(m.Key)).ToDictionary();
    }
}
