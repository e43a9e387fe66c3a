namespace BertPlatform.Shared.Inference;

/// <summary>Logits to probabilities, computed in double so large logits neither overflow nor lose the ordering.</summary>
public static class Probabilities
{
    public static double[] Softmax(ReadOnlySpan<float> logits)
    {
        var max = double.NegativeInfinity;
        foreach (var l in logits) max = Math.Max(max, l);
        var result = new double[logits.Length];
        var sum = 0.0;
        for (var i = 0; i < logits.Length; i++) sum += result[i] = Math.Exp(logits[i] - max);
        for (var i = 0; i < result.Length; i++) result[i] /= sum;
        return result;
    }

    public static double Sigmoid(float logit) => 1 / (1 + Math.Exp(-(double)logit));

    /// <summary>The index of the largest value; the first one on ties, as argmax in PyTorch and NumPy.</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }
}
