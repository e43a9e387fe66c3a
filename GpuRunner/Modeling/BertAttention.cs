using TorchSharp;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>Self-attention followed by its output projection and residual.</summary>
public sealed class BertAttention : nn.Module<Tensor, Tensor?, Tensor>
{
    public readonly BertSelfAttention self;
    public readonly BertSelfOutput output;

    public BertAttention(BertConfig config) : base(nameof(BertAttention))
    {
        self = new BertSelfAttention(config);
        output = new BertSelfOutput(config);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor? extendedMask) => forward(hidden, extendedMask, hidden);

    /// <summary>Attention and residual for the positions in <paramref name="queries"/> only ([B,Q,H]).</summary>
    public Tensor forward(Tensor hidden, Tensor? extendedMask, Tensor queries)
    {
        // Q, K, V and the heads' context are garbage once projected back: free them before the feed-forward runs.
        using var scope = NewDisposeScope();
        return output.forward(self.forward(hidden, extendedMask, queries), queries).MoveToOuterDisposeScope();
    }
}
