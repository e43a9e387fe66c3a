using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>
/// The feed-forward contraction with its residual: LayerNorm(dropout(dense(h)) + input). transformers calls this
/// class BertOutput; here that name belongs to the task models' result, and only field names reach the checkpoint.
/// </summary>
public sealed class BertLayerOutput : nn.Module<Tensor, Tensor, Tensor>
{
    public readonly Linear dense;
    public readonly LayerNorm LayerNorm;
    private readonly BertDropout dropout;

    public BertLayerOutput(BertConfig config) : base(nameof(BertLayerOutput))
    {
        dense = nn.Linear(config.IntermediateSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        dropout = new BertDropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    public override Tensor forward(Tensor intermediate, Tensor input) =>
        LayerNorm.forward(ResidualSum.Of(dropout.forward(dense.forward(intermediate)), input));
}
