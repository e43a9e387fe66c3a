using System.Globalization;
using System.Text.Json.Nodes;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Inference;
using BertPlatform.Shared.Metrics;

namespace BertPlatform.GpuRunner.BatchPrediction;

/// <summary>
/// The task's metrics over a batch prediction, from each answer (as the endpoint gives it) and the record's label,
/// computed by the same metric code as the fine-tuning job's evaluation and under the same names.
/// </summary>
public abstract class PredictionScorer
{
    public abstract void Add(object reference, JsonObject prediction);

    public abstract IReadOnlyDictionary<string, double> Complete();

    public static PredictionScorer For(TaskType task, PublishedModelConfig config) => task switch
    {
        TaskType.TextClassification => config.EffectiveProblemType switch
        {
            PublishedModelConfig.Regression => new Regression(),
            PublishedModelConfig.MultiLabel => new MultiLabel(config.Labels),
            _ => new SingleLabel(config.Labels),
        },
        TaskType.TokenClassification => new Tags(),
        TaskType.QuestionAnswering => new Squad(),
        TaskType.MultipleChoice => new Choices(),
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "No metrics for this task."),
    };

    private static string Text(JsonNode? node) => node?.GetValue<string>() ?? "";

    /// <summary>Class ids in the model's label order; a label the model never saw gets an id of its own (always wrong).</summary>
    private sealed class SingleLabel(IReadOnlyList<string> labels) : PredictionScorer
    {
        private readonly Dictionary<string, int> ids = labels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i, StringComparer.Ordinal);
        private readonly List<int> references = [], predictions = [];

        private int Id(string label) => ids.TryGetValue(label, out var id) ? id : ids[label] = ids.Count;

        public override void Add(object reference, JsonObject prediction)
        {
            references.Add(Id(((IReadOnlyList<string>)reference)[0]));
            predictions.Add(Id(Text(prediction["label"])));
        }

        public override IReadOnlyDictionary<string, double> Complete() => SingleLabelClassificationMetrics.Compute(references, predictions);
    }

    private sealed class MultiLabel(IReadOnlyList<string> labels) : PredictionScorer
    {
        private readonly List<IReadOnlyList<bool>> references = [], predictions = [];

        private IReadOnlyList<bool> Hot(IEnumerable<string> names)
        {
            var set = names.ToHashSet(StringComparer.Ordinal);
            return labels.Select(set.Contains).ToArray();
        }

        public override void Add(object reference, JsonObject prediction)
        {
            references.Add(Hot((IReadOnlyList<string>)reference));
            predictions.Add(Hot(prediction["labels"]!.AsArray().Select(Text)));
        }

        public override IReadOnlyDictionary<string, double> Complete() => MultiLabelClassificationMetrics.Compute(references, predictions);
    }

    private sealed class Regression : PredictionScorer
    {
        private readonly List<double> references = [], predictions = [];

        public override void Add(object reference, JsonObject prediction)
        {
            references.Add(double.Parse(((IReadOnlyList<string>)reference)[0], CultureInfo.InvariantCulture));
            predictions.Add(prediction["value"]!.GetValue<double>());
        }

        public override IReadOnlyDictionary<string, double> Complete() => RegressionMetrics.Compute(references, predictions);
    }

    /// <summary>Words cut off by the model's length get no tag; they count as "O", as nothing was found there.</summary>
    private sealed class Tags : PredictionScorer
    {
        private readonly List<IReadOnlyList<string>> references = [], predictions = [];

        public override void Add(object reference, JsonObject prediction)
        {
            references.Add((IReadOnlyList<string>)reference);
            predictions.Add(prediction["tags"]!.AsArray().Select(t => t?.GetValue<string>() ?? "O").ToList());
        }

        /// <summary>A model trained elsewhere may tag outside IOB2; entities are then undefined and only token accuracy is scored.</summary>
        public override IReadOnlyDictionary<string, double> Complete() => predictions.All(tags => tags.All(IsIob2))
            ? TokenClassificationMetrics.Compute(references, predictions)
            : new Dictionary<string, double>
            {
                [MetricNames.Accuracy] = (double)references.Zip(predictions).Sum(p => p.First.Zip(p.Second).Count(t => t.First == t.Second))
                                         / Math.Max(1, references.Sum(r => r.Count)),
            };

        private static bool IsIob2(string tag) => tag == "O" || (tag.Length > 2 && tag[0] is 'B' or 'I' && tag[1] == '-');
    }

    private sealed class Squad : PredictionScorer
    {
        private readonly List<SquadReference> references = [];
        private readonly Dictionary<string, string> answers = new(StringComparer.Ordinal);

        public override void Add(object reference, JsonObject prediction)
        {
            var squad = (SquadReference)reference;
            references.Add(squad);
            answers[squad.Id] = Text(prediction["answer"]);
        }

        public override IReadOnlyDictionary<string, double> Complete() => SquadMetrics.Compute(references, answers);
    }

    private sealed class Choices : PredictionScorer
    {
        private readonly List<int> references = [], predictions = [];

        public override void Add(object reference, JsonObject prediction)
        {
            references.Add((int)reference);
            predictions.Add(prediction["choice"]!.GetValue<int>());
        }

        public override IReadOnlyDictionary<string, double> Complete() => MultipleChoiceMetrics.Compute(references, predictions);
    }
}
