namespace BertPlatform.GpuRunner.Import;

/// <summary>BERT's optional pooler: <c>tanh(dense(h[:, 0]))</c>, the first token picked by a Gather or Slice on
/// the token axis.</summary>
internal static class Pooler
{
    public static bool TryMap(OnnxGraphIndex graph, InitializerLedger ledger, string lastHiddenState, long hidden)
    {
        foreach (var pick in graph.DataConsumers(lastHiddenState).Where(n => n.OpType is "Gather" or "Slice"))
        {
            var first = pick.Outputs[0];
            while (graph.DataConsumers(first) is [{ OpType: "Squeeze" or "Reshape" } squeeze]) first = squeeze.Outputs[0];
            if (DenseLayer.ConsumersOf(graph, first) is not [var dense]) continue;
            if (graph.DataConsumers(dense.Output) is not [{ OpType: "Tanh" }])
                throw new OnnxImportException(
                    $"Pooler: the dense layer with weight '{dense.Weight.Name}' over the first token is followed by {DenseLayer.Describe(graph.DataConsumers(dense.Output))}; expected Tanh.");
            if (pick.OpType == "Gather" && (graph.Constant(pick.Inputs[1])?.ToInt64s() is not [0] || pick.IntAttribute("axis") != 1))
                throw new OnnxImportException($"Pooler: {pick.Describe()} does not pick the first token (axis 1, index 0) for the pooler dense '{dense.Weight.Name}'.");
            dense.AssignTo(ledger, "pooler.dense", hidden, hidden);
            return true;
        }
        return false;
    }
}
