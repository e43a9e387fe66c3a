namespace BertPlatform.Shared.Metrics;

/// <summary>
/// Metrics for multi-label classification over label-indicator rows (one bool per label), as sklearn scores an
/// indicator matrix with <c>zero_division=0</c>: every label column counts in the macro average, including a column
/// with no true and no predicted positives (its F1 is 0).
/// </summary>
public static class MultiLabelClassificationMetrics
{
    /// <summary>Share of examples whose whole predicted label set equals the reference set (sklearn's accuracy_score).</summary>
    public static double SubsetAccuracy(IReadOnlyList<IReadOnlyList<bool>> references, IReadOnlyList<IReadOnlyList<bool>> predictions)
    {
        var labelCount = RequireIndicatorRows(references, predictions);
        var exact = 0L;
        for (var i = 0; i < references.Count; i++)
        {
            var same = true;
            for (var j = 0; j < labelCount && same; j++)
            {
                same = references[i][j] == predictions[i][j];
            }

            if (same)
            {
                exact++;
            }
        }

        return (double)exact / references.Count;
    }

    public static double MicroF1(IReadOnlyList<IReadOnlyList<bool>> references, IReadOnlyList<IReadOnlyList<bool>> predictions) =>
        PerLabelCounts(references, predictions).Aggregate(default(LabelCounts), (sum, counts) => sum + counts).F1;

    public static double MacroF1(IReadOnlyList<IReadOnlyList<bool>> references, IReadOnlyList<IReadOnlyList<bool>> predictions) =>
        PerLabelCounts(references, predictions).Average(counts => counts.F1);

    public static MetricSet Compute(IReadOnlyList<IReadOnlyList<bool>> references, IReadOnlyList<IReadOnlyList<bool>> predictions) => new(
        new Dictionary<string, double>
        {
            [MetricNames.SubsetAccuracy] = SubsetAccuracy(references, predictions),
            [MetricNames.F1Micro] = MicroF1(references, predictions),
            [MetricNames.F1Macro] = MacroF1(references, predictions),
        });

    /// <summary>One-vs-rest counts per label column.</summary>
    public static IReadOnlyList<LabelCounts> PerLabelCounts(
        IReadOnlyList<IReadOnlyList<bool>> references, IReadOnlyList<IReadOnlyList<bool>> predictions)
    {
        var labelCount = RequireIndicatorRows(references, predictions);
        var counts = new LabelCounts[labelCount];
        for (var i = 0; i < references.Count; i++)
        {
            for (var j = 0; j < labelCount; j++)
            {
                var (actual, predicted) = (references[i][j], predictions[i][j]);
                counts[j] += new LabelCounts(
                    actual && predicted ? 1 : 0,
                    !actual && predicted ? 1 : 0,
                    actual && !predicted ? 1 : 0);
            }
        }

        return counts;
    }

    private static int RequireIndicatorRows(IReadOnlyList<IReadOnlyList<bool>> references, IReadOnlyList<IReadOnlyList<bool>> predictions)
    {
        MetricInputs.RequirePaired(references, predictions, "Multi-label metrics");
        var labelCount = references[0].Count;
        if (labelCount == 0)
        {
            throw new ArgumentException("Multi-label metrics: example 0 has no label columns.");
        }

        for (var i = 0; i < references.Count; i++)
        {
            if (references[i].Count != labelCount || predictions[i].Count != labelCount)
            {
                throw new ArgumentException(
                    $"Multi-label metrics: example {i} has {references[i].Count} reference and {predictions[i].Count} predicted " +
                    $"label columns; expected {labelCount} in both.");
            }
        }

        return labelCount;
    }
}
