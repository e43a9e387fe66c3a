namespace BertPlatform.Shared.Metrics;

/// <summary>
/// Entity-level precision, recall and F1 as seqeval computes them with <c>mode='strict', scheme=IOB2</c>: an entity
/// counts as found only when type, start and end all match. Overall scores are micro-averaged over all entities;
/// per-type scores cover every type seen in references or predictions. Undefined ratios are 0 (no predicted entities
/// gives precision 0, no reference entities gives recall 0). Token accuracy is seqeval's <c>accuracy_score</c>.
/// Per-type keys are <c>{type}_precision</c>, <c>{type}_recall</c>, <c>{type}_f1</c> and <c>{type}_number</c>
/// (the reference count), as the transformers NER example flattens them.
/// </summary>
public static class TokenClassificationMetrics
{
    public static MetricSet Compute(IReadOnlyList<IReadOnlyList<string>> references, IReadOnlyList<IReadOnlyList<string>> predictions)
    {
        MetricInputs.RequirePaired(references, predictions, "Token classification metrics");
        long tokens = 0, correctTokens = 0;
        for (var s = 0; s < references.Count; s++)
        {
            if (references[s].Count != predictions[s].Count)
            {
                throw new ArgumentException(
                    $"Sentence {s}: {references[s].Count} reference tags but {predictions[s].Count} predicted tags.");
            }

            for (var t = 0; t < references[s].Count; t++)
            {
                tokens++;
                if (references[s][t] == predictions[s][t])
                {
                    correctTokens++;
                }
            }
        }

        var perType = CountsByType(references, predictions);
        var overall = perType.Values.Aggregate(default(LabelCounts), (sum, counts) => sum + counts);
        var values = new Dictionary<string, double>
        {
            [MetricNames.Precision] = overall.Precision,
            [MetricNames.Recall] = overall.Recall,
            [MetricNames.F1] = overall.F1,
            [MetricNames.Accuracy] = tokens == 0 ? 0.0 : (double)correctTokens / tokens,
        };
        foreach (var (type, counts) in perType)
        {
            values[$"{type}_{MetricNames.Precision}"] = counts.Precision;
            values[$"{type}_{MetricNames.Recall}"] = counts.Recall;
            values[$"{type}_{MetricNames.F1}"] = counts.F1;
            values[$"{type}_number"] = counts.Actual;
        }

        return new MetricSet(values);
    }

    /// <summary>Exact-match entity counts per type, sorted by type name as seqeval's report is.</summary>
    public static SortedDictionary<string, LabelCounts> CountsByType(
        IReadOnlyList<IReadOnlyList<string>> references, IReadOnlyList<IReadOnlyList<string>> predictions)
    {
        var actual = StrictIob2Entities.Extract(references).ToHashSet();
        var predicted = StrictIob2Entities.Extract(predictions).ToHashSet();
        var byType = new SortedDictionary<string, LabelCounts>(StringComparer.Ordinal);
        foreach (var entity in predicted)
        {
            var found = actual.Contains(entity);
            byType[entity.Type] = byType.GetValueOrDefault(entity.Type) + new LabelCounts(found ? 1 : 0, found ? 0 : 1, 0);
        }

        foreach (var entity in actual.Where(entity => !predicted.Contains(entity)))
        {
            byType[entity.Type] = byType.GetValueOrDefault(entity.Type) + new LabelCounts(0, 0, 1);
        }

        return byType;
    }
}
