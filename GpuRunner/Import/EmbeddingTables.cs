namespace BertPlatform.GpuRunner.Import;

/// <summary>
/// The three embedding tables: Gathers of 2-D float initializers summed by Adds into the first LayerNorm.
/// Token types have the fewest rows (BERT's type vocabulary is 2); of the other two, the word table is indexed
/// by a graph input (the token ids) while the position table is indexed by ids the graph computes itself.
/// </summary>
internal sealed record EmbeddingTables(OnnxTensor Word, OnnxTensor Position, OnnxTensor TokenType, string Sum)
{
    public static EmbeddingTables Find(OnnxGraphIndex graph)
    {
        var first = graph.Graph.Nodes.FirstOrDefault(n => IsTableGather(graph, n))
            ?? throw new OnnxImportException("No embedding lookup found: expected a Gather from a 2-D float initializer.");
        var sum = first.Outputs[0];
        while (graph.DataConsumers(sum) is [{ OpType: "Add" } add]) sum = add.Outputs[0];

        var gathers = new List<OnnxNode>();
        CollectTerms(graph, sum, gathers);
        if (gathers.Count != 3)
            throw new OnnxImportException(
                $"The embeddings sum '{sum}' adds {gathers.Count} lookups ({DenseLayer.Describe(gathers)}); expected word, position and token type embeddings.");

        var byRows = gathers.OrderBy(g => graph.Weight(g.Inputs[0])!.Dims[0]).ToList();
        var tokenType = byRows[0];
        var rest = byRows.Skip(1).ToList();
        var fromInputs = rest.Where(g => IsFedByGraphInput(graph, g.Inputs[1])).ToList();
        if (fromInputs.Count != 1)
            throw new OnnxImportException(
                $"Cannot tell the word embeddings from the position embeddings: {fromInputs.Count} of {DenseLayer.Describe(rest)} are indexed by a graph input, expected exactly one (the token ids).");
        var word = fromInputs[0];
        var position = rest.Single(g => g != word);
        return new EmbeddingTables(graph.Weight(word.Inputs[0])!, graph.Weight(position.Inputs[0])!, graph.Weight(tokenType.Inputs[0])!, sum);
    }

    private static bool IsTableGather(OnnxGraphIndex graph, OnnxNode node) =>
        node.OpType == "Gather" && (node.IntAttribute("axis") ?? 0) == 0 && graph.Weight(node.Inputs[0]) is { Dims.Count: 2 };

    private static void CollectTerms(OnnxGraphIndex graph, string value, List<OnnxNode> gathers)
    {
        var producer = graph.Producer(value);
        if (producer is { OpType: "Add" })
        {
            foreach (var input in producer.Inputs) CollectTerms(graph, input, gathers);
        }
        else if (producer != null && IsTableGather(graph, producer))
        {
            gathers.Add(producer);
        }
        else if (producer is { OpType: "Gather" })
        {
            throw new OnnxImportException(
                $"The embeddings sum includes {producer.Describe()} looking up {graph.Origin(producer.Inputs[0])}; expected a 2-D float embedding table initializer.");
        }
        else
        {
            throw new OnnxImportException($"The embeddings sum includes {graph.Origin(value)}; expected only Gathers from embedding tables.");
        }
    }

    private static bool IsFedByGraphInput(OnnxGraphIndex graph, string indices)
    {
        // Exporters may cast the ids (int32 -> int64) before the lookup.
        while (graph.Producer(indices) is { OpType: "Cast" or "Identity" } cast) indices = cast.Inputs[0];
        return graph.IsGraphInput(indices);
    }
}
