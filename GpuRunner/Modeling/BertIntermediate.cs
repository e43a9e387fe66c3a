using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>The feed-forward expansion: GELU(dense(h)), with the exact erf GELU.</summary>
public sealed class BertIntermediate : nn.Module<Tensor, Tensor>
{
    public readonly Linear dense;

    public BertIntermediate(BertConfig config) : base(nameof(BertIntermediate))
    {
        dense = nn.Linear(config.HiddenSize, config.IntermediateSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden)
    {
        // Without autograd nothing needs the projection after GELU, so GELU overwrites it: the widest activation of
        // the layer is allocated (and its fresh pages faulted in) once instead of twice.
        if (!is_grad_enabled()) return dense.forward(hidden).gelu_();
        using var projected = dense.forward(hidden); // [B,T,H] -> [B,T,I]; freed at once, autograd keeps its own reference
        return nn.functional.gelu(projected);
    }
}
