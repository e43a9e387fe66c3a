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
/// One example's choices, each encoded as the pair (context, question + ending). Evaluation features carry the item's
/// language (the dataset's tag, else detected), so every evaluation also scores each language apart.
/// </summary>
public sealed record MultipleChoiceFeature(int[][] InputIds, int[][] TokenTypeIds, int Label, string? Language = null) : ISequenceFeature
{
    public int Length => InputIds.Max(c => c.Length);
}

/// <summary>SWAG-style multiple choice as BertForMultipleChoice trains it: one score per choice, softmax over choices.</summary>
public sealed class MultipleChoiceTask(int padTokenId) : ITrainingTask<MultipleChoiceFeature>
{
    public static MultipleChoiceFeature Encode(MultipleChoiceExample example, BertTextTokenizer tokenizer, int maxLength)
    {
        // As transformers' SWAG example: first segment the context, second the question (start of the ending) + ending.
        var encodings = example.Endings
            .Select(ending => tokenizer.Encode(example.Context, string.IsNullOrEmpty(example.Question) ? ending : example.Question + " " + ending,
                new EncodeOptions { MaxLength = maxLength, Truncation = TruncationStrategy.LongestFirst }))
            .ToArray();
        return new MultipleChoiceFeature(encodings.Select(e => e.InputIds.ToArray()).ToArray(),
            encodings.Select(e => e.TokenTypeIds.ToArray()).ToArray(), example.Label);
    }

    /// <summary>An evaluation feature: encoded as for training, with the item's language (detected on all its text, endings too).</summary>
    public static MultipleChoiceFeature EncodeForEvaluation(MultipleChoiceExample example, BertTextTokenizer tokenizer, int maxLength) =>
        Encode(example, tokenizer, maxLength) with
        {
            Language = example.Language ?? LanguageIdentifier.Identify(string.Join(' ', new[] { example.Context, example.Question ?? "" }.Concat(example.Endings))),
        };

    public BertBatch Collate(IReadOnlyList<MultipleChoiceFeature> features, Device device)
    {
        var choices = features[0].InputIds.Length;
        if (features.Any(f => f.InputIds.Length != choices))
            throw new InvalidDataException("All examples of a multiple-choice dataset must have the same number of endings.");
        // [B*C, T] padded together, then viewed as [B, C, T].
        var ids = features.SelectMany(f => f.InputIds).Select(c => (IReadOnlyList<int>)c).ToArray();
        var types = features.SelectMany(f => f.TokenTypeIds).Select(c => (IReadOnlyList<int>)c).ToArray();
        var inputIds = Padding.Stack(ids, padTokenId, device);
        var width = inputIds.shape[1];
        return new BertBatch
        {
            InputIds = inputIds.view(features.Count, choices, width),
            TokenTypeIds = Padding.Stack(types, 0, device).view(features.Count, choices, width),
            AttentionMask = Padding.Mask(ids, device).view(features.Count, choices, width),
            Labels = tensor(features.Select(f => (long)f.Label).ToArray(), device: device),
        };
    }

    public ITaskEvaluation<MultipleChoiceFeature> BeginEvaluation() => new Evaluation();

    private sealed class Evaluation : ITaskEvaluation<MultipleChoiceFeature>
    {
        private readonly List<int> gold = [], predicted = [];
        private readonly List<string?> languages = [];

        public void Add(IReadOnlyList<MultipleChoiceFeature> features, BertOutput output)
        {
            var choices = output.Logits!.argmax(1).to(CPU).data<long>().ToArray();
            predicted.AddRange(choices.Select(c => (int)c));
            gold.AddRange(features.Select(f => f.Label));
            languages.AddRange(features.Select(f => f.Language));
        }

        public IReadOnlyDictionary<string, double> Complete()
        {
            var metrics = new Dictionary<string, double>(MultipleChoiceMetrics.Compute(gold, predicted));
            foreach (var (name, value) in MetricBreakdown.ByLanguage(languages, Score)) metrics[name] = value;
            return metrics;
        }

        private IReadOnlyDictionary<string, double> Score(int[] items) =>
            MultipleChoiceMetrics.Compute(items.Select(i => gold[i]).ToArray(), items.Select(i => predicted[i]).ToArray());
    }
}
