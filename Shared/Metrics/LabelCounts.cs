namespace BertPlatform.Shared.Metrics;

/// <summary>
/// True positives, false positives and false negatives for one label (or summed over labels for micro averages),
/// scored as sklearn and seqeval do with <c>zero_division=0</c>: an undefined ratio counts as 0, never NaN.
/// </summary>
public readonly record struct LabelCounts(long TruePositives, long FalsePositives, long FalseNegatives)
{
    public long Predicted => TruePositives + FalsePositives;

    public long Actual => TruePositives + FalseNegatives;

    public double Precision => Predicted == 0 ? 0.0 : (double)TruePositives / Predicted;

    public double Recall => Actual == 0 ? 0.0 : (double)TruePositives / Actual;

    /// <summary>2PR/(P+R), which equals 2TP/(2TP+FP+FN) whenever it is defined.</summary>
    public double F1
    {
        get
        {
            var precision = Precision;
            var recall = Recall;
            return precision + recall == 0.0 ? 0.0 : 2.0 * precision * recall / (precision + recall);
        }
    }

    public static LabelCounts operator +(LabelCounts left, LabelCounts right) => new(
        left.TruePositives + right.TruePositives,
        left.FalsePositives + right.FalsePositives,
        left.FalseNegatives + right.FalseNegatives);
}
