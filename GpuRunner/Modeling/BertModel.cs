using TorchSharp;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>The bare encoder: embeddings, transformer layers and (optionally) the pooler.</summary>
public sealed class BertModel : nn.Module<Tensor, Tensor?, Tensor?, (Tensor LastHiddenState, Tensor? PoolerOutput)>
{
    public readonly BertEmbeddings embeddings;
    public readonly BertEncoder encoder;
    public readonly BertPooler? pooler;

    public BertModel(BertConfig config, bool addPoolingLayer = true) : base(nameof(BertModel))
    {
        embeddings = new BertEmbeddings(config);
        encoder = new BertEncoder(config);
        pooler = addPoolingLayer ? new BertPooler(config) : null;
        RegisterComponents();
    }

    /// <param name="inputIds">[B,T]</param>
    /// <param name="tokenTypeIds">[B,T] or null (all zeros)</param>
    /// <param name="attentionMask">[B,T] with 1 for real tokens and 0 for padding, or null (attend everywhere)</param>
    public override (Tensor LastHiddenState, Tensor? PoolerOutput) forward(Tensor inputIds, Tensor? tokenTypeIds, Tensor? attentionMask) =>
        forward(inputIds, tokenTypeIds, attentionMask, pooledOnly: false);

    /// <param name="pooledOnly">
    /// The caller reads only the pooler output: the last layer computes [CLS] alone (see <see cref="BertEncoder"/>), and
    /// LastHiddenState is that one row, [B,1,H].
    /// </param>
    public (Tensor LastHiddenState, Tensor? PoolerOutput) forward(Tensor inputIds, Tensor? tokenTypeIds, Tensor? attentionMask, bool pooledOnly)
    {
        if (pooledOnly && pooler is null) throw new InvalidOperationException("pooledOnly needs the pooling layer.");
        var hidden = embeddings.forward(inputIds, tokenTypeIds);
        using var extendedMask = attentionMask is null ? null : ExtendedAttentionMask(attentionMask, hidden.dtype);
        var sequence = encoder.forward(hidden, extendedMask, firstTokenOnly: pooledOnly);
        // The embeddings are garbage once the first layer has read them (autograd keeps its own reference).
        if (!ReferenceEquals(sequence, hidden)) hidden.Dispose();
        return (sequence, pooler?.forward(sequence));
    }

    /// <summary>
    /// [B,T] 1/0 mask -> [B,1,1,T] additive mask: 0 for keys to attend, the dtype's most negative finite value for
    /// padding keys, as transformers does (so padded query rows stay finite and match it).
    /// </summary>
    public static Tensor ExtendedAttentionMask(Tensor attentionMask, ScalarType dtype)
    {
        var minimum = dtype switch
        {
            ScalarType.Float32 => float.MinValue,
            ScalarType.Float64 => double.MinValue,
            ScalarType.BFloat16 => -3.3895313892515355e38,
            ScalarType.Float16 => -65504.0,
            _ => throw new ArgumentException($"Unsupported activation dtype {dtype} for the attention mask.", nameof(dtype)),
        };
        using var scope = NewDisposeScope();
        var inverted = 1.0 - attentionMask.to(dtype).unsqueeze(1).unsqueeze(2); // [B,T] -> [B,1,1,T]
        return (inverted * minimum).MoveToOuterDisposeScope();
    }
}
