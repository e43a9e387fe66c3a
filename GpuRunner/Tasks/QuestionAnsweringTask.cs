using BertPlatform.GpuRunner.Modeling;
using BertPlatform.GpuRunner.Training;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Insight;
using BertPlatform.Shared.Metrics;
using BertPlatform.Shared.QuestionAnswering;
using BertPlatform.Shared.Tokenization;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tasks;

/// <summary>
/// One window of a question over a (possibly long) context: the answer's start and end token inside the window,
/// or [CLS] (0, 0) when the question has no answer or the answer lies outside this window, as in BERT's SQuAD code.
/// Evaluation windows carry their question (<see cref="ExampleIndex"/> tells the windows of one set's questions apart).
/// </summary>
public sealed record QuestionAnsweringFeature(int ExampleIndex, int[] InputIds, int[] TokenTypeIds, int StartPosition, int EndPosition,
    Range?[] ContextOffsets, EvaluatedQuestion? Question = null) : ISequenceFeature
{
    public int Length => InputIds.Length;
}

/// <summary>
/// Extractive question answering (SQuAD v1.1 / v2.0) as BertForQuestionAnswering trains it; answers decoded from
/// the start/end logits over all windows with an n-best search, scored with the official EM/F1, overall and per
/// language of the questions.
/// </summary>
public sealed class QuestionAnsweringTask(QuestionAnsweringOptions options, bool withUnanswerable, int padTokenId) : ITrainingTask<QuestionAnsweringFeature>
{
    /// <summary>SQuAD v2.0: the model may answer "no answer".</summary>
    public bool WithUnanswerable => withUnanswerable;

    public static IEnumerable<QuestionAnsweringFeature> Encode(int exampleIndex, QuestionAnsweringExample example, BertTextTokenizer tokenizer,
        int maxLength, QuestionAnsweringOptions options)
    {
        var answer = example.IsImpossible || example.Answers.Count == 0 ? null : example.Answers[0];
        foreach (var window in tokenizer.EncodeQuestionContext(example.Question, example.Context, maxLength, options.DocStrideFor(maxLength), options.MaxQuestionLength))
        {
            var offsets = new Range?[window.Length];
            for (var i = 0; i < window.Length; i++)
                if (window.SequenceIds[i] == 1 && window.Offsets[i] is { } span) offsets[i] = new Range(span.Start, span.End);
            var (start, end) = answer == null ? (0, 0) : Locate(offsets, answer.Start, answer.Start + answer.Text.Length);
            yield return new QuestionAnsweringFeature(exampleIndex, window.InputIds.ToArray(), window.TokenTypeIds.ToArray(), start, end, offsets);
        }
    }

    /// <summary>
    /// An evaluation question's windows, each carrying the question and its language. Without a tag the language is
    /// detected on the question with its context: a question alone is mostly too short to tell (cross-lingual sets,
    /// whose questions and contexts differ, should tag each question).
    /// </summary>
    public static IEnumerable<QuestionAnsweringFeature> EncodeForEvaluation(int exampleIndex, QuestionAnsweringExample example, BertTextTokenizer tokenizer,
        int maxLength, QuestionAnsweringOptions options)
    {
        var question = new EvaluatedQuestion(example, example.Language ?? LanguageIdentifier.Identify(example.Question + " " + example.Context));
        return Encode(exampleIndex, example, tokenizer, maxLength, options).Select(window => window with { Question = question });
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
        private readonly Dictionary<int, (EvaluatedQuestion Question, List<AnswerWindow> Windows)> questions = [];

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
                if (!questions.TryGetValue(feature.ExampleIndex, out var question))
                    questions[feature.ExampleIndex] = question = (feature.Question
                        ?? throw new InvalidOperationException("Question-answering evaluation needs windows from EncodeForEvaluation, which carry their question."), []);
                question.Windows.Add(window);
            }
        }

        public IReadOnlyDictionary<string, double> Complete()
        {
            // One entry per question, not per window: a long context's windows are decoded into one answer.
            var references = new List<SquadReference>();
            var predictions = new List<string>();
            var noAnswerScores = new List<double?>();
            var languages = new List<string>();
            foreach (var (_, (question, questionWindows)) in questions.OrderBy(q => q.Key))
            {
                var example = question.Example;
                var decoded = AnswerDecoder.Decode(example.Context, questionWindows, task.DecodingOptions);
                references.Add(new SquadReference(example.Id, example.IsImpossible ? [] : example.Answers.Select(a => a.Text).ToArray()));
                predictions.Add(decoded.Prediction);
                noAnswerScores.Add(decoded.NullScoreDifference);
                languages.Add(question.Language);
            }

            // The questions at the given positions scored as a set of their own, no-answer threshold search included.
            IReadOnlyDictionary<string, double> Score(int[] positions) => SquadMetrics.Compute(
                positions.Select(i => references[i]).ToArray(),
                positions.ToDictionary(i => references[i].Id, i => predictions[i], StringComparer.Ordinal),
                task.WithUnanswerable
                    ? positions.Where(i => noAnswerScores[i] is not null).ToDictionary(i => references[i].Id, i => noAnswerScores[i]!.Value, StringComparer.Ordinal)
                    : null);

            var all = Enumerable.Range(0, references.Count).ToArray();
            var metrics = new Dictionary<string, double>(Score(all));
            foreach (var (name, value) in MetricBreakdown.ByLanguage(languages, Score)) metrics[name] = value;
            return metrics;
        }
    }
}
