using BertPlatform.GpuRunner.Modeling;
using BertPlatform.GpuRunner.Training;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Metrics;
using BertPlatform.Shared.Tokenization;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tasks;

/// <summary>One example's choices, each encoded as the pair (context, question + ending).</summary>
public sealed record MultipleChoiceFeature(int[][] InputIds, int[][] TokenTypeIds, int Label) : ISequenceFeature
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

        public void Add(IReadOnlyList<MultipleChoiceFeature> features, BertOutput output)
        {
            var choices = output.Logits!.argmax(1).to(CPU).data<long>().ToArray();
            predicted.AddRange(choices.Select(c => (int)c));
            gold.AddRange(features.Select(f => f.Label));
        }

        public IReadOnlyDictionary<string, double> Complete() => MultipleChoiceMetrics.Compute(gold, predicted);
    }
}
