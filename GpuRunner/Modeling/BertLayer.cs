using TorchSharp;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>One transformer block: attention, then the feed-forward network.</summary>
public sealed class BertLayer : nn.Module<Tensor, Tensor?, Tensor>
{
    public readonly BertAttention attention;
    public readonly BertIntermediate intermediate;
    public readonly BertLayerOutput output;

    public BertLayer(BertConfig config) : base(nameof(BertLayer))
    {
        attention = new BertAttention(config);
        intermediate = new BertIntermediate(config);
        output = new BertLayerOutput(config);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor? extendedMask) => forward(hidden, extendedMask, hidden);

    /// <summary>
    /// The block's output at the positions in <paramref name="queries"/> only ([B,Q,H]): every position still serves as
    /// key and value, so these rows equal the same rows of the full output.
    /// </summary>
    public Tensor forward(Tensor hidden, Tensor? extendedMask, Tensor queries)
    {
        // TorchSharp frees a tensor when its handle is disposed, not when its last reference goes as PyTorch does.
        // Without a scope per layer every intermediate of the whole pass would live until the caller's scope ends:
        // about 3 GB for mBERT at inference on 32 × 128 tokens. Autograd holds its own references to what backward needs.
        using var scope = NewDisposeScope();
        var attended = attention.forward(hidden, extendedMask, queries);
        return output.forward(intermediate.forward(attended), attended).MoveToOuterDisposeScope();
    }
}
