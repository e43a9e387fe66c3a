using System.Text.Json.Nodes;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Metrics;
using BertPlatform.Shared.Tasks;

namespace BertPlatform.GpuRunner.BatchPrediction;

/// <summary>
/// Reads a validated dataset with its task's own parser (the one that validated the upload) and turns each record
/// into the input the predict endpoint takes for that task, in file order, lazily.
/// </summary>
public static class DatasetInputs
{
    /// <param name="unlabeled">The dataset was uploaded without labels (text classification only); references are empty.</param>
    public static IEnumerable<PredictionItem> Read(string path, DatasetFormat format, JobSpec spec, bool unlabeled = false) => spec.Task switch
    {
        TaskType.TextClassification => TaskCatalog.TextClassification.Read(path, format, spec.Columns, spec.ProblemType, unlabeled).Select(e =>
            new PredictionItem(Location(format, e.Row), Object(("text", e.Text), ("text_pair", e.TextPair)), e.Labels)),
        TaskType.TokenClassification => TaskCatalog.TokenClassification.Read(path, format, spec.Columns).Select(e =>
            new PredictionItem($"line {e.Row}", new JsonObject { ["tokens"] = Strings(e.Tokens) }, e.Tags)),
        TaskType.QuestionAnswering => TaskCatalog.QuestionAnswering.Read(path, format, spec.Columns).Select(e =>
            new PredictionItem($"id '{e.Id}'", Object(("question", e.Question), ("context", e.Context)),
                new SquadReference(e.Id, e.Answers.Select(a => a.Text).ToList()))),
        TaskType.MultipleChoice => TaskCatalog.MultipleChoice.Read(path, format, spec.Columns).Select(e =>
        {
            var input = Object(("context", e.Context), ("question", e.Question));
            input["endings"] = Strings(e.Endings);
            return new PredictionItem($"line {e.Row}", input, e.Label);
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Task, "Batch predictions run fine-tuned models; this task has none."),
    };

    private static string Location(DatasetFormat format, long row) => format == DatasetFormat.Jsonl ? $"line {row}" : $"row {row}";

    private static JsonObject Object(params (string Name, string? Value)[] fields)
    {
        var json = new JsonObject();
        foreach (var (name, value) in fields)
            if (value is not null) json[name] = value;
        return json;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)v).ToArray());
}
