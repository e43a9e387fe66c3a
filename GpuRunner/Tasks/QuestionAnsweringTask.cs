using BertPlatform.GpuRunner.Modeling;
using BertPlatform.GpuRunner.Training;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Metrics;
using BertPlatform.Shared.QuestionAnswering;
using BertPlatform.Shared.Tokenization;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tasks;

/// <summary>
/// One window of a question over a (possibly long) context: the answer's start and end token inside the window,
/// or [CLS] (0, 0) when the question has no answer or the answer lies outside this window, as in BERT's SQuAD code.
/// </summary>
public sealed record QuestionAnsweringFeature(int ExampleIndex, int[] InputIds, int[] TokenTypeIds, int StartPosition, int EndPosition,
    Range?[] ContextOffsets) : ISequenceFeature
{
    public int Length => InputIds.Length;
}

/// <summary>
/// Extractive question answering (SQuAD v1.1 / v2.0) as BertForQuestionAnswering trains it; answers decoded from
/// the start/end logits over all windows with an n-best search, scored with the official EM/F1.
/// </summary>
public sealed class QuestionAnsweringTask(IReadOnlyList<QuestionAnsweringExample> evaluationExamples, QuestionAnsweringOptions options,
    bool withUnanswerable, int padTokenId) : ITrainingTask<QuestionAnsweringFeature>
{
    public IReadOnlyList<QuestionAnsweringExample> EvaluationExamples => evaluationExamples;

    /// <summary>SQuAD v2.0: the model may answer "no answer".</summary>
    public bool WithUnanswerable => withUnanswerable;

    public static IEnumerable<QuestionAnsweringFeature> Encode(int exampleIndex, QuestionAnsweringExample example, BertTextTokenizer tokenizer,
        int maxLength, QuestionAnsweringOptions options)
    {
        var answer = example.IsImpossible || example.Answers.Count == 0 ? null : example.Answers[0];
        foreach (var window in tokenizer.EncodeQuestionContext(example.Question, example.Context, maxLength, options.DocStride, options.MaxQuestionLength))
        {
            var offsets = new Range?[window.Length];
            for (var i = 0; i < window.Length; i++)
                if (window.SequenceIds[i] == 1 && window.Offsets[i] is { } span) offsets[i] = new Range(span.Start, span.End);
            var (start, end) = answer == null ? (0, 0) : Locate(offsets, answer.Start, answer.Start + answer.Text.Length);
            yield return new QuestionAnsweringFeature(exampleIndex, window.InputIds.ToArray(), window.TokenTypeIds.ToArray(), start, end, offsets);
        }
    }

    /// <summary>The first and last context token covering the answer's characters, or (0,0) if the window doesn't hold it whole.</summary>
    private static (int Start, int End) Locate(Range?[] offsets, int answerStart, int answerEnd)
    {
        int? start = null, end = null;
        var first = Array.FindIndex(offsets, o => o.HasValue);
        var last = Array.FindLastIndex(offsets, o => o.HasValue);
        if (first < 0 || offsets[first]!.Value.Start.Value > answerStart || offsets[last]!.Value.End.Value < answerEnd) return (0, 0);
        for (var i = first; i <= last; i++)
        {
            if (offsets[i] is not { } range) continue;
            if (range.Start.Value <= answerStart) start = i;
            if (end == null && range.End.Value >= answerEnd) end = i;
        }
        return start is { } s && end is { } e && s <= e ? (s, e) : (0, 0);
    }

    public BertBatch Collate(IReadOnlyList<QuestionAnsweringFeature> features, Device device)
    {
        var ids = features.Select(f => (IReadOnlyList<int>)f.InputIds).ToArray();
        return new BertBatch
        {
            InputIds = Padding.Stack(ids, padTokenId, device),
            TokenTypeIds = Padding.Stack(features.Select(f => (IReadOnlyList<int>)f.TokenTypeIds).ToArray(), 0, device),
            AttentionMask = Padding.Mask(ids, device),
            StartPositions = tensor(features.Select(f => (long)f.StartPosition).ToArray(), device: device),
            EndPositions = tensor(features.Select(f => (long)f.EndPosition).ToArray(), device: device),
        };
    }

    /// <summary>The job's options with the v2.0 question settled (the job's choice, else the data's).</summary>
    public QuestionAnsweringOptions DecodingOptions { get; } = options with { VersionTwoWithNegative = withUnanswerable };

    public ITaskEvaluation<QuestionAnsweringFeature> BeginEvaluation() => new Evaluation(this);

    private sealed class Evaluation(QuestionAnsweringTask task) : ITaskEvaluation<QuestionAnsweringFeature>
    {
        private readonly Dictionary<int, List<AnswerWindow>> windows = [];

        public void Add(IReadOnlyList<QuestionAnsweringFeature> features, BertOutput output)
        {
            var starts = output.StartLogits!.to(CPU).to(float32).data<float>().ToArray();
            var ends = output.EndLogits!.to(CPU).to(float32).data<float>().ToArray();
            var width = starts.Length / features.Count;
            for (var row = 0; row < features.Count; row++)
            {
                var feature = features[row];
                // Logits past the feature's own length are padding: the decoder only looks at context tokens.
                var window = new AnswerWindow(starts.AsSpan(row * width, feature.Length).ToArray(), ends.AsSpan(row * width, feature.Length).ToArray(),
                    feature.ContextOffsets);
                if (!windows.TryGetValue(feature.ExampleIndex, out var list)) windows[feature.ExampleIndex] = list = [];
                list.Add(window);
            }
        }

        public IReadOnlyDictionary<string, double> Complete()
        {
            var references = new List<SquadReference>();
            var predictions = new Dictionary<string, string>(StringComparer.Ordinal);
            var noAnswerScores = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (index, exampleWindows) in windows.OrderBy(w => w.Key))
            {
                var example = task.EvaluationExamples[index];
                var decoded = AnswerDecoder.Decode(example.Context, exampleWindows, task.DecodingOptions);
                references.Add(new SquadReference(example.Id, example.IsImpossible ? [] : example.Answers.Select(a => a.Text).ToArray()));
                predictions[example.Id] = decoded.Prediction;
                if (decoded.NullScoreDifference is { } difference) noAnswerScores[example.Id] = difference;
            }
            return SquadMetrics.Compute(references, predictions, task.WithUnanswerable ? noAnswerScores : null);
        }
    }
}
