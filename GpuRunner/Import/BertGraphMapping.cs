namespace BertPlatform.GpuRunner.Import;

/// <summary>The sizes of a BERT encoder as read from its graph and tensors (Hugging Face config names in the comments).</summary>
public sealed record BertGraphSizes(
    int VocabSize,              // vocab_size: rows of the word embedding table
    int HiddenSize,             // hidden_size: columns of the word embedding table
    int NumHiddenLayers,        // num_hidden_layers: query/key/value triples found along the residual stream
    int NumAttentionHeads,      // num_attention_heads: from the shape the query is reshaped to
    int IntermediateSize,       // intermediate_size: outputs of the dense layer feeding GELU
    int MaxPositionEmbeddings,  // max_position_embeddings: rows of the position embedding table
    int TypeVocabSize,          // type_vocab_size: rows of the token type embedding table
    double LayerNormEps,        // layer_norm_eps: the epsilon every LayerNorm adds to the variance
    bool HasPooler);            // a dense + tanh over the first token follows the encoder

/// <summary>An initializer assigned to its Hugging Face parameter name.</summary>
public sealed record MappedTensor(string Name, OnnxTensor Source, bool Transpose)
{
    /// <summary>The Hugging Face shape: linear weights are <c>[out, in]</c>.</summary>
    public long[] Shape => Transpose ? [Source.Dims[1], Source.Dims[0]] : Source.Dims.ToArray();

    public float[] ToFloats()
    {
        var values = Source.ToFloats();
        if (!Transpose) return values;
        // [in, out] (MatMul's right operand) -> [out, in] (nn.Linear.weight)
        int rows = (int)Source.Dims[0], columns = (int)Source.Dims[1];
        var transposed = new float[values.Length];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
                transposed[c * rows + r] = values[r * columns + c];
        return transposed;
    }
}

/// <summary>What the mapper found: the model's sizes and every weight under its Hugging Face <c>BertModel</c> name.</summary>
public sealed record BertGraphMapping(BertGraphSizes Sizes, IReadOnlyList<MappedTensor> Tensors);
