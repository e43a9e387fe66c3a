using BertPlatform.GpuRunner.Modeling;
using BertPlatform.GpuRunner.Training;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Metrics;
using BertPlatform.Shared.Tokenization;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tasks;

/// <summary>One tokenized text (or text pair) with its target: a class id, a multi-hot vector or a score.</summary>
public sealed record TextClassificationFeature(int[] InputIds, int[] TokenTypeIds, int ClassId, float[] Targets) : ISequenceFeature
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

        public IReadOnlyDictionary<string, double> Complete() => task.ProblemType switch
        {
            ProblemType.SingleLabelClassification => SingleLabelClassificationMetrics.Compute(
                gold.Select(f => f.ClassId).ToArray(), logits.Select(ArgMax).ToArray()),
            ProblemType.MultiLabelClassification => MultiLabelClassificationMetrics.Compute(
                gold.Select(f => (IReadOnlyList<bool>)f.Targets.Select(t => t > 0.5f).ToArray()).ToArray(),
                logits.Select(l => (IReadOnlyList<bool>)l.Select(v => v > 0f).ToArray()).ToArray()),
            _ => RegressionMetrics.Compute(gold.Select(f => (double)f.Targets[0]).ToArray(), logits.Select(l => (double)l[0]).ToArray()),
        };

        private static int ArgMax(float[] values)
        {
            var best = 0;
            for (var i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
            return best;
        }
    }
}
