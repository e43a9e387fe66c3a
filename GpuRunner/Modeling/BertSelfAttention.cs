using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>Multi-head scaled dot-product self-attention (softmax(QKᵀ/√d + mask)·V).</summary>
public sealed class BertSelfAttention : nn.Module<Tensor, Tensor?, Tensor>
{
    public readonly Linear query;
    public readonly Linear key;
    public readonly Linear value;
    private readonly int heads;
    private readonly int headSize;
    private readonly double attentionDropout;

    public BertSelfAttention(BertConfig config) : base(nameof(BertSelfAttention))
    {
        heads = config.NumAttentionHeads;
        headSize = config.HeadSize;
        attentionDropout = config.AttentionProbsDropoutProb;
        query = nn.Linear(config.HiddenSize, config.HiddenSize);
        key = nn.Linear(config.HiddenSize, config.HiddenSize);
        value = nn.Linear(config.HiddenSize, config.HiddenSize);
        RegisterComponents();
    }

    /// <param name="hidden">[B,T,H]</param>
    /// <param name="extendedMask">[B,1,1,T] additive mask (0 or finfo(float32).min), or null.</param>
    /// <returns>[B,T,H] context</returns>
    public override Tensor forward(Tensor hidden, Tensor? extendedMask) => forward(hidden, extendedMask, hidden);

    /// <summary>Attention from the positions in <paramref name="queries"/> ([B,Q,H], e.g. only [CLS]) over every position of <paramref name="hidden"/>.</summary>
    /// <returns>[B,Q,H] context</returns>
    public Tensor forward(Tensor hidden, Tensor? extendedMask, Tensor queries)
    {
        var batch = hidden.shape[0];
        Tensor Heads(Linear projection, Tensor input) =>
            projection.forward(input).view(batch, input.shape[1], heads, headSize).transpose(1, 2); // [B,T,H] -> [B,heads,T,head]
        var context = Attend(Heads(query, queries), Heads(key, hidden), Heads(value, hidden), extendedMask, training ? attentionDropout : 0.0);
        return context.transpose(1, 2).reshape(batch, queries.shape[1], heads * headSize); // [B,heads,Q,head] -> [B,Q,H]
    }

    /// <summary>
    /// softmax(Q·Kᵀ/√head + mask)·V over [B,heads,·,head] projections, with attention dropout at
    /// <paramref name="dropoutProbability"/> (0 outside training).
    /// </summary>
    /// <returns>[B,heads,Q,head]</returns>
    public static Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor? extendedMask, double dropoutProbability)
    {
        // The fused kernel scales by 1/sqrt(head) and adds the float mask before the softmax, exactly like transformers'
        // eager path. Its dropout samples with torch's Bernoulli, which on the CPU costs more than the rest of the
        // attention: there the same steps run here, with BertDropout's mask.
        if (dropoutProbability == 0 || q.device_type != DeviceType.CPU)
            return nn.functional.scaled_dot_product_attention(q, k, v, extendedMask, dropoutProbability);
        return BertDropout.Apply(nn.functional.softmax(Scores(q, k, extendedMask), -1), dropoutProbability).matmul(v);
    }

    /// <summary>Q·Kᵀ/√head + mask, [B,heads,Q,T]: the scores the softmax turns into attention probabilities.</summary>
    private static Tensor Scores(Tensor q, Tensor k, Tensor? extendedMask)
    {
        // In place on the product, which nothing else holds: neither the division nor the sum needs it for backward.
        var scores = q.matmul(k.transpose(-1, -2)).div_(Math.Sqrt(q.shape[^1]));
        return extendedMask is null ? scores : scores.add_(extendedMask);
    }

    /// <summary>
    /// The attention probabilities the fused kernel uses internally (transformers' <c>output_attentions</c>):
    /// softmax(Q·Kᵀ/√head + mask), [B,heads,T,T], for inspection.
    /// </summary>
    public Tensor AttentionProbabilities(Tensor hidden, Tensor? extendedMask)
    {
        var (batch, length) = (hidden.shape[0], hidden.shape[1]);
        Tensor Heads(Linear projection) => projection.forward(hidden).view(batch, length, heads, headSize).transpose(1, 2); // [B,heads,T,head]
        return nn.functional.softmax(Scores(Heads(query), Heads(key), extendedMask), -1); // [B,heads,T,T]
    }
}
