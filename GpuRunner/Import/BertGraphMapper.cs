using System.Globalization;

namespace BertPlatform.GpuRunner.Import;

/// <summary>
/// Finds a BERT encoder in an ONNX graph by the role each tensor plays, never by its name (exports call most
/// weights <c>onnx::MatMul_1234</c>): the embedding Gathers summed into the first LayerNorm; then, layer after
/// layer along the residual stream, the three projections whose products meet at the attention softmax, the
/// attention output dense and the LayerNorm closing its residual, the intermediate dense feeding GELU, the output
/// dense and its LayerNorm; finally an optional pooler (dense + tanh over the first token).
/// </summary>
public static class BertGraphMapper
{
    public static BertGraphMapping Map(OnnxGraph onnx)
    {
        var graph = new OnnxGraphIndex(onnx);
        var ledger = new InitializerLedger(graph);
        var epsilons = new List<(string Role, double Value)>();

        var embeddings = EmbeddingTables.Find(graph);
        var hidden = embeddings.Word.Dims[1];
        ledger.Assign("embeddings.word_embeddings.weight", embeddings.Word, false, embeddings.Word.Dims[0], hidden);
        ledger.Assign("embeddings.position_embeddings.weight", embeddings.Position, false, embeddings.Position.Dims[0], hidden);
        ledger.Assign("embeddings.token_type_embeddings.weight", embeddings.TokenType, false, embeddings.TokenType.Dims[0], hidden);
        var state = AssignLayerNorm(graph, ledger, epsilons, embeddings.Sum, "embeddings.LayerNorm", "embeddings LayerNorm", hidden);

        int layers = 0, heads = 0;
        long intermediate = 0;
        while (DenseLayer.ConsumersOf(graph, state) is { Count: > 0 } projections)
        {
            var layer = new EncoderLayerMapper(graph, ledger, epsilons, layers, hidden);
            (state, var layerHeads, var layerIntermediate) = layer.Map(state, projections);
            if (layers > 0 && (layerHeads != heads || layerIntermediate != intermediate))
                throw new OnnxImportException(
                    $"Layer {layers} has {layerHeads} heads and intermediate size {layerIntermediate}; layer 0 has {heads} and {intermediate}.");
            (heads, intermediate) = (layerHeads, layerIntermediate);
            layers++;
        }
        if (layers == 0)
            throw new OnnxImportException($"No encoder layer reads the embeddings output '{state}': expected query, key and value MatMuls on it.");

        var hasPooler = Pooler.TryMap(graph, ledger, state, hidden);
        ledger.EnsureEveryWeightIsMapped();

        var distinct = epsilons.Select(e => e.Value).Distinct().ToList();
        if (distinct.Count != 1)
            throw new OnnxImportException(
                $"The LayerNorms use different epsilons: {string.Join(", ", epsilons.Select(e => $"{e.Role}={e.Value:G6}"))}.");

        var sizes = new BertGraphSizes(
            VocabSize: (int)embeddings.Word.Dims[0],
            HiddenSize: (int)hidden,
            NumHiddenLayers: layers,
            NumAttentionHeads: heads,
            IntermediateSize: (int)intermediate,
            MaxPositionEmbeddings: (int)embeddings.Position.Dims[0],
            TypeVocabSize: (int)embeddings.TokenType.Dims[0],
            LayerNormEps: ShortestDecimal((float)distinct[0]),
            HasPooler: hasPooler);
        return new BertGraphMapping(sizes, ledger.Tensors);
    }

    /// <summary>The graph stores epsilon as float32; configs want the decimal it was written from (1e-12, not
    /// 9.999999960041972e-13), which is the shortest text that round-trips the float.</summary>
    private static double ShortestDecimal(float value) =>
        double.Parse(value.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    internal static string AssignLayerNorm(
        OnnxGraphIndex graph, InitializerLedger ledger, List<(string Role, double Value)> epsilons,
        string input, string prefix, string role, long hidden)
    {
        var norm = LayerNormPattern.Match(graph, input, role);
        ledger.Assign(prefix + ".weight", norm.Gamma, false, hidden);
        ledger.Assign(prefix + ".bias", norm.Beta, false, hidden);
        epsilons.Add((role, norm.Epsilon));
        return norm.Output;
    }
}
