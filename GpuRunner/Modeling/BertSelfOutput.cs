using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>Attention output projection with a post-LayerNorm residual: LayerNorm(dropout(dense(h)) + input).</summary>
public sealed class BertSelfOutput : nn.Module<Tensor, Tensor, Tensor>
{
    public readonly Linear dense;
    public readonly LayerNorm LayerNorm;
    private readonly BertDropout dropout;

    public BertSelfOutput(BertConfig config) : base(nameof(BertSelfOutput))
    {
        dense = nn.Linear(config.HiddenSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        dropout = new BertDropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor input) =>
        LayerNorm.forward(ResidualSum.Of(dropout.forward(dense.forward(hidden)), input));
}
