namespace BertPlatform.GpuRunner.Pretraining;

/// <summary>
/// The accuracy of always predicting the most frequent token among the held-out masked positions: what a model that
/// learned only word frequencies scores (it answers "," or "the" for every mask). A masked-LM accuracy at or
/// below it means the run has not yet learned anything from context.
/// </summary>
public sealed record UnigramBaseline(int TokenId, long Hits, long Predictions)
{
    public double Accuracy => Predictions == 0 ? 0 : (double)Hits / Predictions;

    public static UnigramBaseline Of(IEnumerable<PretrainingInstance> instances)
    {
        ArgumentNullException.ThrowIfNull(instances);
        var counts = new Dictionary<int, long>();
        long predictions = 0;
        foreach (var instance in instances)
            foreach (var label in instance.MaskedLmLabels)
            {
                if (label == PretrainingInstance.NotPredicted) continue;
                counts[label] = counts.GetValueOrDefault(label) + 1;
                predictions++;
            }
        if (predictions == 0) return new(-1, 0, 0);
        // Ties go to the lower id, so the baseline does not depend on the order instances came in.
        var (token, hits) = counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key).First();
        return new(token, hits, predictions);
    }
}
