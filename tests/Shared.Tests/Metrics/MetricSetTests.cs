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
    public void Primary_metric_must_be_present()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new MetricSet("f1", new Dictionary<string, double> { ["accuracy"] = 0.5 }));
        Assert.Contains("'f1'", error.Message);

        var set = new MetricSet("f1", new Dictionary<string, double> { ["f1"] = 0.9, ["precision"] = 0.8 });
        Assert.Equal(0.9, set.PrimaryValue);
        Assert.Throws<KeyNotFoundException>(() => set["recall"]);
    }

    [Fact]
    public void Masked_token_accuracy_skips_ignored_positions()
    {
        // Scored positions 1, 3, 4: 5=5, 7≠8, 9=9 -> 2/3.
        var metrics = PretrainingMetrics.Compute([-100, 5, -100, 7, 9], [1, 5, 2, 8, 9], [0, 1], [0, 0]);
        Assert.Equal(2.0 / 3, metrics[MetricNames.MlmAccuracy], 12);
        Assert.Equal(0.5, metrics[MetricNames.NspAccuracy]);
        Assert.Equal(MetricNames.MlmAccuracy, metrics.PrimaryMetric);
        Assert.Throws<ArgumentException>(() => PretrainingMetrics.MaskedTokenAccuracy([-100], [3]));
    }
}
