namespace BertPlatform.Shared.Metrics;

/// <summary>Checks shared by every metric: paired inputs of equal, non-zero length.</summary>
internal static class MetricInputs
{
    public static void RequirePaired<TReference, TPrediction>(
        IReadOnlyList<TReference> references, IReadOnlyList<TPrediction> predictions, string what)
    {
        ArgumentNullException.ThrowIfNull(references);
        ArgumentNullException.ThrowIfNull(predictions);
        if (references.Count != predictions.Count)
        {
            throw new ArgumentException(
                $"{what}: {references.Count} references but {predictions.Count} predictions; they must pair one to one.");
        }

        if (references.Count == 0)
        {
            throw new ArgumentException($"{what}: no examples to score.");
        }
    }

    public static void RequireClassIndex(int label, int index, string role)
    {
        if (label < 0)
        {
            throw new ArgumentException($"Example {index}: {role} label {label} is negative; class indices start at 0.");
        }
    }
}
