using BertPlatform.GpuRunner.Modeling;

namespace BertPlatform.GpuRunner.Export;

/// <summary>
/// BERT's encoder in standard ONNX ops, computed as transformers' eager path does: embeddings summed as
/// (word + token type) + position, LayerNormalization (opset 17), per layer scaled dot-product attention with the
/// additive mask <c>(1 - mask) * float.MinValue</c>, exact erf GELU, post-LayerNorm residuals; optionally the
/// pooler <c>tanh(dense(h[:, 0]))</c>. The shape keeps to what <see cref="Import.BertGraphMapper"/> recognises, so
/// an exported encoder imports back.
/// </summary>
internal static class BertEncoderGraph
{
    /// <param name="inputIds">[N, T] token ids (int64).</param>
    /// <param name="lastHiddenStateName">The name of the final hidden state value, or null for a generated one.</param>
    /// <returns>The last hidden state [N, T, H] and the pooled output [N, H] when <paramref name="withPooler"/>.</returns>
    public static (string LastHiddenState, string? Pooled) Build(
        OnnxGraphBuilder graph, ModelWeights weights, BertConfig config, string prefix,
        string inputIds, string tokenTypeIds, string attentionMask, bool withPooler, string? lastHiddenStateName = null, string? pooledName = null)
    {
        var hidden = Embeddings(graph, weights, config, prefix + "embeddings", inputIds, tokenTypeIds);
        var mask = AdditiveMask(graph, attentionMask);
        for (var layer = 0; layer < config.NumHiddenLayers; layer++)
            hidden = Layer(graph, weights, config, $"{prefix}encoder.layer.{layer}", hidden, mask,
                layer == config.NumHiddenLayers - 1 ? lastHiddenStateName : null);
        if (!withPooler) return (hidden, null);
        var first = graph.Node("Gather", [hidden, graph.Int64s([0], scalar: true)], null, OnnxAttributeValue.Of("axis", 1L)); // [N,H]
        var pooled = graph.Node("Tanh", [weights.Dense(graph, first, prefix + "pooler.dense")], pooledName);
        return (hidden, pooled);
    }

    private static string Embeddings(OnnxGraphBuilder graph, ModelWeights weights, BertConfig config, string prefix, string ids, string types)
    {
        var words = graph.Node("Gather", [weights.Vector(graph, prefix + ".word_embeddings.weight"), ids]);
        var typeRows = graph.Node("Gather", [weights.Vector(graph, prefix + ".token_type_embeddings.weight"), types]);
        var sum = graph.Node("Add", [words, typeRows]);
        // Position ids 0..T-1 for the length of this batch: arange(T)[None].
        var length = graph.Node("Gather", [graph.Node("Shape", [ids]), graph.Int64s([1], scalar: true)], null, OnnxAttributeValue.Of("axis", 0L));
        var range = graph.Node("Range", [graph.Int64s([0], scalar: true), length, graph.Int64s([1], scalar: true)]);
        var positionIds = graph.Node("Unsqueeze", [range, graph.Int64s([0])]);
        var positions = graph.Node("Gather", [weights.Vector(graph, prefix + ".position_embeddings.weight"), positionIds]);
        return weights.LayerNorm(graph, graph.Node("Add", [sum, positions]), prefix + ".LayerNorm", config.LayerNormEps);
    }

    /// <summary>[N,T] 1/0 mask -> [N,1,1,T]: 0 where attended, float's most negative value on padding (as
    /// <see cref="BertModel.ExtendedAttentionMask"/>).</summary>
    private static string AdditiveMask(OnnxGraphBuilder graph, string mask)
    {
        var asFloat = graph.Node("Cast", [mask], null, OnnxAttributeValue.Of("to", (long)OnnxGraphBuilder.FloatType));
        var inverted = graph.Node("Sub", [graph.Scalar(1f), asFloat]);
        var additive = graph.Node("Mul", [inverted, graph.Scalar(float.MinValue)]);
        return graph.Node("Unsqueeze", [additive, graph.Int64s([1, 2])]);
    }

    private static string Layer(OnnxGraphBuilder graph, ModelWeights weights, BertConfig config, string prefix, string input, string mask, string? output)
    {
        long heads = config.NumAttentionHeads, headSize = config.HeadSize;
        var split = graph.Int64s([0, 0, heads, headSize]);
        string Heads(string projection, long[] perm) =>
            graph.Node("Transpose", [graph.Node("Reshape", [weights.Dense(graph, input, $"{prefix}.attention.self.{projection}"), split])], null,
                OnnxAttributeValue.Of("perm", perm));
        var query = Heads("query", [0, 2, 1, 3]);   // [N,heads,T,head]
        var keyT = Heads("key", [0, 2, 3, 1]);      // [N,heads,head,T]
        var value = Heads("value", [0, 2, 1, 3]);   // [N,heads,T,head]
        var scores = graph.Node("Mul", [graph.Node("MatMul", [query, keyT]), graph.Scalar((float)(1 / Math.Sqrt(headSize)))]);
        var probabilities = graph.Node("Softmax", [graph.Node("Add", [scores, mask])], null, OnnxAttributeValue.Of("axis", -1L));
        var context = graph.Node("MatMul", [probabilities, value]); // [N,heads,T,head]
        var merged = graph.Node("Reshape", [
            graph.Node("Transpose", [context], null, OnnxAttributeValue.Of("perm", new long[] { 0, 2, 1, 3 })),
            graph.Int64s([0, 0, config.HiddenSize])]);
        var attended = weights.LayerNorm(graph,
            graph.Node("Add", [weights.Dense(graph, merged, prefix + ".attention.output.dense"), input]),
            prefix + ".attention.output.LayerNorm", config.LayerNormEps);
        var intermediate = Gelu(graph, weights.Dense(graph, attended, prefix + ".intermediate.dense"));
        return weights.LayerNorm(graph,
            graph.Node("Add", [weights.Dense(graph, intermediate, prefix + ".output.dense"), attended]),
            prefix + ".output.LayerNorm", config.LayerNormEps, output);
    }

    /// <summary>Exact GELU, <c>x * 0.5 * (1 + erf(x / sqrt(2)))</c>: transformers' "gelu".</summary>
    public static string Gelu(OnnxGraphBuilder graph, string x)
    {
        var erf = graph.Node("Erf", [graph.Node("Div", [x, graph.Scalar(MathF.Sqrt(2f))])]);
        return graph.Node("Mul", [graph.Node("Mul", [x, graph.Node("Add", [erf, graph.Scalar(1f)])]), graph.Scalar(0.5f)]);
    }
}
