namespace BertPlatform.Shared.Metrics;

/// <summary>Counts of (true class, predicted class) pairs; rows are true classes, columns predicted ones, as sklearn.</summary>
public sealed class ConfusionMatrix
{
    private readonly long[,] counts;

    private ConfusionMatrix(long[,] counts) => this.counts = counts;

    public int ClassCount => counts.GetLength(0);

    public long this[int trueClass, int predictedClass] => counts[trueClass, predictedClass];

    /// <param name="classCount">Number of classes; when null, the largest label seen plus one.</param>
    public static ConfusionMatrix Build(IReadOnlyList<int> references, IReadOnlyList<int> predictions, int? classCount = null)
    {
        MetricInputs.RequirePaired(references, predictions, "Confusion matrix");
        for (var i = 0; i < references.Count; i++)
        {
            MetricInputs.RequireClassIndex(references[i], i, "reference");
            MetricInputs.RequireClassIndex(predictions[i], i, "predicted");
        }

        var size = classCount ?? Math.Max(references.Max(), predictions.Max()) + 1;
        var counts = new long[size, size];
        for (var i = 0; i < references.Count; i++)
        {
            if (references[i] >= size || predictions[i] >= size)
            {
                throw new ArgumentException(
                    $"Example {i}: label {Math.Max(references[i], predictions[i])} is outside the {size} classes.");
            }

            counts[references[i], predictions[i]]++;
        }

        return new ConfusionMatrix(counts);
    }

    public long Total
    {
        get
        {
            long total = 0;
            foreach (var count in counts)
            {
                total += count;
            }

            return total;
        }
    }

    public long Correct
    {
        get
        {
            long correct = 0;
            for (var k = 0; k < ClassCount; k++)
            {
                correct += counts[k, k];
            }

            return correct;
        }
    }

    /// <summary>Examples whose true class is <paramref name="trueClass"/> (row sum).</summary>
    public long ActualCount(int trueClass)
    {
        long sum = 0;
        for (var p = 0; p < ClassCount; p++)
        {
            sum += counts[trueClass, p];
        }

        return sum;
    }

    /// <summary>Examples predicted as <paramref name="predictedClass"/> (column sum).</summary>
    public long PredictedCount(int predictedClass)
    {
        long sum = 0;
        for (var t = 0; t < ClassCount; t++)
        {
            sum += counts[t, predictedClass];
        }

        return sum;
    }

    /// <summary>One-vs-rest counts for a class.</summary>
    public LabelCounts CountsFor(int label) => new(
        counts[label, label],
        PredictedCount(label) - counts[label, label],
        ActualCount(label) - counts[label, label]);
}
