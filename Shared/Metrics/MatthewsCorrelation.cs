namespace BertPlatform.Shared.Metrics;

/// <summary>
/// Multiclass Matthews correlation coefficient (Gorodkin's R_K), computed as sklearn's <c>matthews_correlation</c>:
/// with t_k and p_k the true and predicted counts of class k, c the correct count and s the total,
/// MCC = (c·s − Σ t_k p_k) / sqrt((s² − Σ p_k²)(s² − Σ t_k²)), and 0 when the denominator is 0
/// (all references or all predictions in one class).
/// </summary>
public static class MatthewsCorrelation
{
    public static double Compute(ConfusionMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);

        // Doubles throughout: s² overflows nothing here, but Σ products of counts can exceed int range on big sets.
        double samples = matrix.Total;
        double correct = matrix.Correct;
        double truePredictedDot = 0, predictedSquares = 0, trueSquares = 0;
        for (var k = 0; k < matrix.ClassCount; k++)
        {
            double actual = matrix.ActualCount(k);
            double predicted = matrix.PredictedCount(k);
            truePredictedDot += actual * predicted;
            predictedSquares += predicted * predicted;
            trueSquares += actual * actual;
        }

        var covariance = correct * samples - truePredictedDot;
        var predictedVariance = samples * samples - predictedSquares;
        var trueVariance = samples * samples - trueSquares;
        if (predictedVariance * trueVariance == 0.0)
        {
            return 0.0;
        }

        return covariance / Math.Sqrt(trueVariance * predictedVariance);
    }

    public static double Compute(IReadOnlyList<int> references, IReadOnlyList<int> predictions) =>
        Compute(ConfusionMatrix.Build(references, predictions));
}
