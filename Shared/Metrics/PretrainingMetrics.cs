namespace BertPlatform.Shared.Metrics;

/// <summary>
/// Pre-training: accuracy of the masked-token predictions over the positions that carry a label (the rest hold the
/// ignore index, -100 as in transformers), and next-sentence accuracy when NSP labels are given.
/// </summary>
public static class PretrainingMetrics
{
    public const int IgnoreIndex = -100;

    public static double MaskedTokenAccuracy(IReadOnlyList<int> labels, IReadOnlyList<int> predictions)
    {
        MetricInputs.RequirePaired(labels, predictions, "Masked-token accuracy");
        long scored = 0, correct = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            if (labels[i] == IgnoreIndex)
            {
                continue;
            }

            scored++;
            if (labels[i] == predictions[i])
            {
                correct++;
            }
        }

        if (scored == 0)
        {
            throw new ArgumentException($"Masked-token accuracy: all {labels.Count} positions are {IgnoreIndex}; nothing was masked.");
        }

        return (double)correct / scored;
    }

    public static MetricSet Compute(
        IReadOnlyList<int> maskedLabels,
        IReadOnlyList<int> maskedPredictions,
        IReadOnlyList<int>? nextSentenceLabels = null,
        IReadOnlyList<int>? nextSentencePredictions = null)
    {
        var values = new Dictionary<string, double>
        {
            [MetricNames.MlmAccuracy] = MaskedTokenAccuracy(maskedLabels, maskedPredictions),
        };
        if (nextSentenceLabels is not null || nextSentencePredictions is not null)
        {
            values[MetricNames.NspAccuracy] = SingleLabelClassificationMetrics.Accuracy(
                nextSentenceLabels ?? throw new ArgumentException("Next-sentence predictions were given without labels."),
                nextSentencePredictions ?? throw new ArgumentException("Next-sentence labels were given without predictions."));
        }

        return new MetricSet(values);
    }
}
