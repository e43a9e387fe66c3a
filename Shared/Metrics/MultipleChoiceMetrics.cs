namespace BertPlatform.Shared.Metrics;

/// <summary>Multiple choice (SWAG): the share of examples whose highest-scoring ending is the right one.</summary>
public static class MultipleChoiceMetrics
{
    public static MetricSet Compute(IReadOnlyList<int> correctChoices, IReadOnlyList<int> predictedChoices) => new(
        new Dictionary<string, double>
        {
            [MetricNames.Accuracy] = SingleLabelClassificationMetrics.Accuracy(correctChoices, predictedChoices),
        });
}
