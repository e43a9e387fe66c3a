namespace BertPlatform.Shared.Metrics;

/// <summary>
/// Metrics for single-label classification over class indices, matching sklearn's defaults: F1 averages run over the
/// labels that occur in the references or the predictions (sklearn's <c>unique_labels</c>), undefined ratios are 0.
/// </summary>
public static class SingleLabelClassificationMetrics
{
    public static double Accuracy(IReadOnlyList<int> references, IReadOnlyList<int> predictions)
    {
        MetricInputs.RequirePaired(references, predictions, "Accuracy");
        var correct = 0L;
        for (var i = 0; i < references.Count; i++)
        {
            if (references[i] == predictions[i])
            {
                correct++;
            }
        }

        return (double)correct / references.Count;
    }

    /// <summary>Unweighted mean of the per-label F1 over the labels present in references or predictions.</summary>
    public static double MacroF1(IReadOnlyList<int> references, IReadOnlyList<int> predictions)
    {
        var matrix = ConfusionMatrix.Build(references, predictions);
        var present = PresentLabels(references, predictions);
        return present.Average(label => matrix.CountsFor(label).F1);
    }

    /// <summary>F1 of the summed counts; for single-label data every error is one FP and one FN, so this equals accuracy.</summary>
    public static double MicroF1(IReadOnlyList<int> references, IReadOnlyList<int> predictions)
    {
        var matrix = ConfusionMatrix.Build(references, predictions);
        var total = PresentLabels(references, predictions)
            .Aggregate(default(LabelCounts), (sum, label) => sum + matrix.CountsFor(label));
        return total.F1;
    }

    public static MetricSet Compute(IReadOnlyList<int> references, IReadOnlyList<int> predictions) => new(
        new Dictionary<string, double>
        {
            [MetricNames.Accuracy] = Accuracy(references, predictions),
            [MetricNames.F1Macro] = MacroF1(references, predictions),
            [MetricNames.F1Micro] = MicroF1(references, predictions),
            [MetricNames.MatthewsCorrelation] = MatthewsCorrelation.Compute(references, predictions),
        });

    private static SortedSet<int> PresentLabels(IReadOnlyList<int> references, IReadOnlyList<int> predictions) =>
        new(references.Concat(predictions));
}
