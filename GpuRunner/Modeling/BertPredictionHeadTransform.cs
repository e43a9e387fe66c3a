using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>LayerNorm(GELU(dense(h))) applied before the masked-LM decoder.</summary>
public sealed class BertPredictionHeadTransform : nn.Module<Tensor, Tensor>
{
    public readonly Linear dense;
    public readonly LayerNorm LayerNorm;

    public BertPredictionHeadTransform(BertConfig config) : base(nameof(BertPredictionHeadTransform))
    {
        dense = nn.Linear(config.HiddenSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden) => LayerNorm.forward(nn.functional.gelu(dense.forward(hidden)));
}
