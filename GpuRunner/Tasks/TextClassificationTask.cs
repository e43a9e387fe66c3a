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
/// One tokenized text (or text pair) with its target: a class id, a multi-hot vector or a score. Evaluation features
/// carry their language (the dataset's tag, else detected), so every evaluation also scores each language apart.
/// </summary>
public sealed record TextClassificationFeature(int[] InputIds, int[] TokenTypeIds, int ClassId, float[] Targets, string? Language = null) : ISequenceFeature
{
    public int Length => InputIds.Length;
}

/// <summary>
/// Sentence and sentence-pair classification as BertForSequenceClassification trains it: single-label
/// (cross-entropy), multi-label (one sigmoid per label) or regression (one score, mean squared error).
/// </summary>
public sealed class TextClassificationTask(ProblemType problemType, LabelSpace labels, int padTokenId) : ITrainingTask<TextClassificationFeature>
{
    public ProblemType ProblemType => problemType;

    public LabelSpace Labels => labels;

    public int NumLabels => problemType == ProblemType.Regression ? 1 : labels.Count;

    public TextClassificationFeature Encode(TextClassificationExample example, BertTextTokenizer tokenizer, int maxLength)
    {
        var encoding = tokenizer.Encode(example.Text, example.TextPair,
            new EncodeOptions { MaxLength = maxLength, Truncation = TruncationStrategy.LongestFirst });
        var where = $"row {example.Row}";
        return problemType switch
        {
            ProblemType.SingleLabelClassification =>
                new(encoding.InputIds.ToArray(), encoding.TokenTypeIds.ToArray(), labels.IdOf(example.Labels[0], where), []),
            ProblemType.MultiLabelClassification =>
                new(encoding.InputIds.ToArray(), encoding.TokenTypeIds.ToArray(), -1, MultiHot(example.Labels, where)),
            _ => new(encoding.InputIds.ToArray(), encoding.TokenTypeIds.ToArray(), -1,
                [float.Parse(example.Labels[0], System.Globalization.CultureInfo.InvariantCulture)]),
        };
    }

    /// <summary>An evaluation feature: encoded as for training, with the example's language.</summary>
    public TextClassificationFeature EncodeForEvaluation(TextClassificationExample example, BertTextTokenizer tokenizer, int maxLength) =>
        Encode(example, tokenizer, maxLength) with
        {
            Language = example.Language ?? LanguageIdentifier.Identify(example.TextPair is null ? example.Text : example.Text + " " + example.TextPair),
        };

    private float[] MultiHot(IReadOnlyList<string> names, string where)
    {
        var targets = new float[labels.Count];
        foreach (var name in names) targets[labels.IdOf(name, where)] = 1f;
        return targets;
    }

    public BertBatch Collate(IReadOnlyList<TextClassificationFeature> features, Device device)
    {
        var ids = features.Select(f => (IReadOnlyList<int>)f.InputIds).ToArray();
        Tensor labelTensor = problemType switch
        {
            ProblemType.SingleLabelClassification => tensor(features.Select(f => (long)f.ClassId).ToArray(), device: device),
            ProblemType.MultiLabelClassification =>
                tensor(features.SelectMany(f => f.Targets).ToArray(), [features.Count, labels.Count], device: device),
            _ => tensor(features.Select(f => f.Targets[0]).ToArray(), device: device),
        };
        return new BertBatch
        {
            InputIds = Padding.Stack(ids, padTokenId, device),
            TokenTypeIds = Padding.Stack(features.Select(f => (IReadOnlyList<int>)f.TokenTypeIds).ToArray(), 0, device),
            AttentionMask = Padding.Mask(ids, device),
            Labels = labelTensor,
        };
    }

    public ITaskEvaluation<TextClassificationFeature> BeginEvaluation() => new Evaluation(this);

    private sealed class Evaluation(TextClassificationTask task) : ITaskEvaluation<TextClassificationFeature>
    {
        private readonly List<float[]> logits = [];
        private readonly List<TextClassificationFeature> gold = [];

        public void Add(IReadOnlyList<TextClassificationFeature> features, BertOutput output)
        {
            var batch = output.Logits!.to(CPU).to(float32);
            var width = (int)batch.shape[1];
            var values = batch.data<float>().ToArray();
            for (var row = 0; row < features.Count; row++) logits.Add(values.AsSpan(row * width, width).ToArray());
            gold.AddRange(features);
        }

        public IReadOnlyDictionary<string, double> Complete()
        {
            var metrics = new Dictionary<string, double>(Score(Enumerable.Range(0, gold.Count).ToArray()));
            foreach (var (name, value) in MetricBreakdown.ByLanguage(gold.Select(f => f.Language).ToArray(), Score)) metrics[name] = value;
            return metrics;
        }

        /// <summary>The task's metrics over the examples at <paramref name="indices"/>: the whole set, or one language's share.</summary>
        private IReadOnlyDictionary<string, double> Score(int[] indices) => task.ProblemType switch
        {
            ProblemType.SingleLabelClassification => SingleLabelClassificationMetrics.Compute(
                indices.Select(i => gold[i].ClassId).ToArray(), indices.Select(i => ArgMax(logits[i])).ToArray()),
            ProblemType.MultiLabelClassification => MultiLabelClassificationMetrics.Compute(
                indices.Select(i => (IReadOnlyList<bool>)gold[i].Targets.Select(t => t > 0.5f).ToArray()).ToArray(),
                indices.Select(i => (IReadOnlyList<bool>)logits[i].Select(v => v > 0f).ToArray()).ToArray()),
            _ => RegressionMetrics.Compute(indices.Select(i => (double)gold[i].Targets[0]).ToArray(), indices.Select(i => (double)logits[i][0]).ToArray()),
        };

        private static int ArgMax(float[] values)
        {
            var best = 0;
            for (var i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
            return best;
        }
    }
}
