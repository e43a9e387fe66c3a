namespace BertPlatform.GpuRunner.Import;

/// <summary>
/// The activation between BERT's intermediate and output dense layers. Hugging Face's <c>hidden_act: "gelu"</c> is
/// the exact <c>x * 0.5 * (1 + erf(x / sqrt(2)))</c>; exporters write it with <c>Erf</c> or as a fused <c>Gelu</c>
/// op. The tanh approximation (<c>gelu_new</c>, <c>FastGelu</c>) computes different numbers and is refused.
/// </summary>
internal static class GeluActivation
{
    private const int MaxActivationNodes = 16;

    /// <summary>Checks the nodes from <paramref name="input"/> up to the next dense layer form an exact GELU and
    /// returns that dense layer (BERT's output dense).</summary>
    public static DenseLayer FollowToOutputDense(OnnxGraphIndex graph, string input, string role)
    {
        var activation = new List<OnnxNode>();
        var next = new List<OnnxNode>();
        var pending = new Queue<string>([input]);
        var seen = new HashSet<OnnxNode>();
        while (pending.TryDequeue(out var value))
        {
            foreach (var node in graph.DataConsumers(value))
            {
                if (!seen.Add(node)) continue;
                if (DenseLayer.IsDense(graph, node)) { next.Add(node); continue; }
                activation.Add(node);
                if (activation.Count > MaxActivationNodes)
                    throw new OnnxImportException($"{role}: no dense layer follows '{input}' within {MaxActivationNodes} nodes.");
                foreach (var output in node.Outputs) pending.Enqueue(output);
            }
        }
        CheckExactGelu(activation, input, role);
        if (next is not [var outputDense])
            throw new OnnxImportException($"{role}: expected one dense layer after the GELU, found {DenseLayer.Describe(next)}.");
        return DenseLayer.Match(graph, outputDense);
    }

    private static void CheckExactGelu(List<OnnxNode> nodes, string input, string role)
    {
        var ops = string.Join(", ", nodes.Select(n => n.OpType));
        if (nodes.FirstOrDefault(n => n.OpType is "Tanh" or "FastGelu" || (n.OpType == "Gelu" && n.Attributes.TryGetValue("approximate", out var a) && a.String == "tanh")) is { } tanh)
            throw new OnnxImportException(
                $"{role}: the activation uses {tanh.Describe()}, the tanh approximation of GELU (gelu_new); only exact erf GELU (hidden_act \"gelu\") is supported.");
        if (nodes.Any(n => n.OpType is "Erf" or "Gelu")) return;
        throw new OnnxImportException($"{role}: the activation after '{input}' is [{ops}]; expected exact GELU (an Erf or Gelu op).");
    }
}
