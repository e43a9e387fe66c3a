using System.Globalization;
using System.Text;
using BertPlatform.GpuRunner.Training;
using BertPlatform.GpuRunner.Worker;
using BertPlatform.Shared.Metrics;

namespace BertPlatform.GpuRunner.Tasks;

/// <summary>A short Hugging Face style model card (README.md) published beside the weights.</summary>
public static class ModelCard
{
    public static string Write(JobExecution execution, string architecture, string primaryMetric, CheckpointSelection selection, TrainingResult result,
        IReadOnlyDictionary<string, double>? baseline, IReadOnlyList<string> notes, IReadOnlyList<(string Name, int Examples)>? validationSets = null)
    {
        var spec = execution.Spec;
        var hp = spec.Hyperparameters;
        var card = new StringBuilder();
        card.AppendLine("---").AppendLine("library_name: transformers").AppendLine("tags: [bert, fine-tuned]").AppendLine("---");
        card.AppendLine(CultureInfo.InvariantCulture, $"# Fine-tuned {TrainingRun.BaseModelName(spec)} ({architecture})").AppendLine();
        card.AppendLine(CultureInfo.InvariantCulture, $"Trained by job `{execution.JobId}` on dataset `{spec.TrainingDataset}` ")
            .AppendLine(CultureInfo.InvariantCulture, $"for {result.Steps} optimizer steps ({hp.Epochs} epochs planned{(result.StoppedEarly ? ", stopped early" : "")}), ")
            .AppendLine(CultureInfo.InvariantCulture, $"batch size {hp.BatchSize}, learning rate {hp.LearningRate}, max sequence length {hp.MaxSequenceLength}, seed {hp.Seed}.")
            .AppendLine();
        card.AppendLine("## Published checkpoint").AppendLine();
        card.AppendLine(CultureInfo.InvariantCulture, $"These weights are those of step {result.BestStep} of {result.Steps}, the evaluation with {selection.Describe()}.")
            .AppendLine();
        card.AppendLine("## Evaluation").AppendLine();
        card.AppendLine("| metric | before fine-tuning | best (step " + result.BestStep + ") |").AppendLine("|---|---|---|");
        foreach (var (name, value) in result.BestMetrics.Where(m => !MetricBreakdown.IsBreakdown(m.Key)))
        {
            var before = baseline != null && baseline.TryGetValue(name, out var b) ? b.ToString("0.####", CultureInfo.InvariantCulture) : "";
            card.AppendLine(CultureInfo.InvariantCulture, $"| {name}{(name == primaryMetric ? " (primary)" : "")} | {before} | {value:0.####} |");
        }
        LanguageSection(card, "## Per language", result.BestMetrics, baseline, primaryMetric, "");
        if (validationSets is { Count: > 0 })
        {
            var selectedOn = spec.SelectionSet()?.Name;
            card.AppendLine().AppendLine("## Validation sets").AppendLine();
            card.AppendLine($"Every evaluation scored each set; the checkpoint was chosen on `{selectedOn}`.").AppendLine();
            card.AppendLine($"| set | examples | {primaryMetric} before | {primaryMetric} |").AppendLine("|---|---|---|---|");
            foreach (var (name, examples) in validationSets)
            {
                var before = baseline != null && baseline.TryGetValue($"{name}/{primaryMetric}", out var b) ? Format(b) : "";
                card.AppendLine(CultureInfo.InvariantCulture,
                    $"| {name}{(name == selectedOn ? " (selects)" : "")} | {examples} | {before} | {Value(result.BestMetrics, $"{name}/{primaryMetric}")} |");
            }
            foreach (var (name, _) in validationSets)
                LanguageSection(card, $"### {name} per language", result.BestMetrics, baseline, primaryMetric, name + "/");
        }
        if (notes.Count > 0)
        {
            card.AppendLine().AppendLine("## Data and findings").AppendLine();
            foreach (var note in notes) card.AppendLine("- " + note);
        }
        card.AppendLine().AppendLine("## Use").AppendLine()
            .AppendLine("```python").AppendLine("from transformers import AutoTokenizer, " + architecture)
            .AppendLine("tokenizer = AutoTokenizer.from_pretrained(\"path/to/this/folder\")")
            .AppendLine("model = " + architecture + ".from_pretrained(\"path/to/this/folder\")").AppendLine("```").AppendLine()
            .AppendLine("or with this platform's runner: `GpuRunner predict --model path/to/this/folder --input in.jsonl --output out.jsonl`.");
        return card.ToString();
    }

    /// <summary>One row per language of the evaluation set: examples, the primary metric before and after, the other metrics after.</summary>
    private static void LanguageSection(StringBuilder card, string heading, IReadOnlyDictionary<string, double> best,
        IReadOnlyDictionary<string, double>? baseline, string primaryMetric, string prefix)
    {
        var after = MetricBreakdown.LanguageTable(best, prefix);
        if (after.Count == 0) return;
        var before = baseline is null ? null : MetricBreakdown.LanguageTable(baseline, prefix);
        var others = after.Values.SelectMany(r => r.Keys).Distinct().Where(m => m != MetricBreakdown.Count && m != primaryMetric).Order(StringComparer.Ordinal).ToList();
        card.AppendLine().AppendLine(heading).AppendLine();
        card.AppendLine($"| language | examples | {primaryMetric} before | {primaryMetric} | {string.Join(" | ", others)} |")
            .AppendLine("|---|---|---|---|" + string.Concat(others.Select(_ => "---|")));
        foreach (var (language, row) in after)
        {
            var was = before != null && before.TryGetValue(language, out var b) && b.TryGetValue(primaryMetric, out var value) ? Format(value) : "";
            card.AppendLine(CultureInfo.InvariantCulture,
                $"| {language} | {row.GetValueOrDefault(MetricBreakdown.Count):0} | {was} | {Value(row, primaryMetric)} | {string.Join(" | ", others.Select(m => Value(row, m)))} |");
        }
    }

    private static string Value(IReadOnlyDictionary<string, double> row, string metric) => row.TryGetValue(metric, out var value) ? Format(value) : "";

    private static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
