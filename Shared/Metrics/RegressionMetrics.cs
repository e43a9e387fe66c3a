namespace BertPlatform.Shared.Metrics;

/// <summary>
/// Metrics for regression (similarity scores, STS-B style): Pearson and Spearman as scipy computes them, and the mean
/// squared error. A correlation with a constant side is undefined (scipy answers NaN); it is reported as 0 here,
/// sklearn's convention for MCC, so that metrics stay JSON-serialisable and comparable for early stopping.
/// </summary>
public static class RegressionMetrics
{
    public static double Pearson(IReadOnlyList<double> references, IReadOnlyList<double> predictions)
    {
        MetricInputs.RequirePaired(references, predictions, "Pearson correlation");
        RequireFinite(references, "reference");
        RequireFinite(predictions, "prediction");

        // Centre first (two passes), as scipy does, to keep precision when values sit far from zero.
        var meanReference = references.Average();
        var meanPrediction = predictions.Average();
        double covariance = 0, referenceSquares = 0, predictionSquares = 0;
        for (var i = 0; i < references.Count; i++)
        {
            var r = references[i] - meanReference;
            var p = predictions[i] - meanPrediction;
            covariance += r * p;
            referenceSquares += r * r;
            predictionSquares += p * p;
        }

        if (referenceSquares == 0.0 || predictionSquares == 0.0)
        {
            return 0.0;
        }

        return Math.Clamp(covariance / Math.Sqrt(referenceSquares * predictionSquares), -1.0, 1.0);
    }

    /// <summary>Pearson correlation of the average ranks.</summary>
    public static double Spearman(IReadOnlyList<double> references, IReadOnlyList<double> predictions)
    {
        MetricInputs.RequirePaired(references, predictions, "Spearman correlation");
        RequireFinite(references, "reference");
        RequireFinite(predictions, "prediction");
        return Pearson(AverageRanks.Compute(references), AverageRanks.Compute(predictions));
    }

    public static double MeanSquaredError(IReadOnlyList<double> references, IReadOnlyList<double> predictions)
    {
        MetricInputs.RequirePaired(references, predictions, "Mean squared error");
        var sum = 0.0;
        for (var i = 0; i < references.Count; i++)
        {
            var error = predictions[i] - references[i];
            sum += error * error;
        }

        return sum / references.Count;
    }

    public static MetricSet Compute(IReadOnlyList<double> references, IReadOnlyList<double> predictions) => new(
        new Dictionary<string, double>
        {
            [MetricNames.Pearson] = Pearson(references, predictions),
            [MetricNames.Spearman] = Spearman(references, predictions),
            [MetricNames.MeanSquaredError] = MeanSquaredError(references, predictions),
        });

    private static void RequireFinite(IReadOnlyList<double> values, string role)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException($"Example {i}: {role} value {values[i]} is not a finite number.");
            }
        }
    }
}
