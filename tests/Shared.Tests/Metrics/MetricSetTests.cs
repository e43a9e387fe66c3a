using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Metrics;
using BertPlatform.Shared.Tasks;

namespace BertPlatform.Shared.Tests.Metrics;

public class MetricSetTests
{
    [Theory]
    [InlineData(TaskType.TextClassification, null, "accuracy")]
    [InlineData(TaskType.TextClassification, ProblemType.SingleLabelClassification, "accuracy")]
    [InlineData(TaskType.TextClassification, ProblemType.MultiLabelClassification, "f1_micro")]
    [InlineData(TaskType.TextClassification, ProblemType.Regression, "pearson")]
    [InlineData(TaskType.TokenClassification, null, "f1")]
    [InlineData(TaskType.QuestionAnswering, null, "f1")]
    [InlineData(TaskType.MultipleChoice, null, "accuracy")]
    [InlineData(TaskType.Pretraining, null, "mlm_accuracy")]
    public void Primary_metric_per_task(TaskType task, ProblemType? problemType, string expected)
    {
        Assert.Equal(expected, TaskCatalog.For(task).PrimaryMetric(problemType));
    }

    [Fact]
    public void A_missing_metric_is_named_with_the_ones_there_are()
    {
        var set = new MetricSet(new Dictionary<string, double> { ["f1"] = 0.9, ["precision"] = 0.8 });
        Assert.Equal(0.9, set["f1"]);
        var error = Assert.Throws<KeyNotFoundException>(() => set["recall"]);
        Assert.Contains("'recall'", error.Message);
        Assert.Contains("f1, precision", error.Message);
    }

    [Fact]
    public void Masked_token_accuracy_skips_ignored_positions()
    {
        // Scored positions 1, 3, 4: 5=5, 7≠8, 9=9 -> 2/3.
        var metrics = PretrainingMetrics.Compute([-100, 5, -100, 7, 9], [1, 5, 2, 8, 9], [0, 1], [0, 0]);
        Assert.Equal(2.0 / 3, metrics[MetricNames.MlmAccuracy], 12);
        Assert.Equal(0.5, metrics[MetricNames.NspAccuracy]);
        Assert.Contains(TaskCatalog.Pretraining.PrimaryMetric(null), metrics.Keys);
        Assert.Throws<ArgumentException>(() => PretrainingMetrics.MaskedTokenAccuracy([-100], [3]));
    }
}
