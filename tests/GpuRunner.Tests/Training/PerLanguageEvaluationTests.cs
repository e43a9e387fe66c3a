using BertPlatform.GpuRunner.Modeling;
using BertPlatform.GpuRunner.Tasks;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Metrics;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tests.Training;

/// <summary>A text-classification evaluation over a mixed-language set scores every language apart, and the parts add up.</summary>
public sealed class PerLanguageEvaluationTests
{
    private static TextClassificationFeature Feature(int classId, string? language) => new([2, 3], [0, 0], classId, [], language);

    [Fact]
    public void Per_language_metrics_add_up_to_the_overall_metrics()
    {
        var task = new TextClassificationTask(ProblemType.SingleLabelClassification, new LabelSpace(["neg", "pos"]), padTokenId: 0);
        // (gold, predicted class, language): en 2 of 3 right, de 1 of 2, ar 1 of 1, in two batches.
        (int Gold, int Predicted, string Language)[] rows = [(0, 0, "en"), (1, 0, "de"), (1, 1, "en"), (0, 0, "ar"), (1, 1, "de"), (0, 1, "en")];
        var evaluation = task.BeginEvaluation();
        foreach (var batch in rows.Chunk(4))
        {
            var logits = tensor(batch.SelectMany(r => r.Predicted == 1 ? new[] { 0f, 1f } : [1f, 0f]).ToArray(), [batch.Length, 2]);
            evaluation.Add(batch.Select(r => Feature(r.Gold, r.Language)).ToArray(), new BertOutput { Logits = logits });
        }

        var metrics = evaluation.Complete();
        var languages = MetricBreakdown.LanguageTable(metrics);

        Assert.Equal(["ar", "de", "en"], languages.Keys);
        Assert.Equal(rows.Length, languages.Values.Sum(l => l[MetricBreakdown.Count]));
        Assert.Equal(4.0 / 6, metrics[MetricNames.Accuracy], 12);
        Assert.Equal(metrics[MetricNames.Accuracy], languages.Values.Sum(l => l[MetricBreakdown.Count] * l[MetricNames.Accuracy]) / rows.Length, 12);
        Assert.Equal([1.0, 0.5, 2.0 / 3], languages.Values.Select(l => l[MetricNames.Accuracy]));
        Assert.Equal(metrics.Keys.Where(k => !MetricBreakdown.IsBreakdown(k)).Order(), languages["en"].Keys.Where(k => k != MetricBreakdown.Count).Order());
    }

    [Fact]
    public void Training_features_without_a_language_get_no_breakdown()
    {
        var task = new TextClassificationTask(ProblemType.SingleLabelClassification, new LabelSpace(["neg", "pos"]), padTokenId: 0);
        var evaluation = task.BeginEvaluation();
        evaluation.Add([Feature(0, null), Feature(1, null)], new BertOutput { Logits = tensor(new[] { 1f, 0f, 0f, 1f }, [2, 2]) });
        Assert.DoesNotContain(evaluation.Complete().Keys, MetricBreakdown.IsBreakdown);
    }
}
