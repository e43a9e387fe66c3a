using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>tanh(dense(hidden state of the first token, [CLS])).</summary>
public sealed class BertPooler : nn.Module<Tensor, Tensor>
{
    public readonly Linear dense;

    public BertPooler(BertConfig config) : base(nameof(BertPooler))
    {
        dense = nn.Linear(config.HiddenSize, config.HiddenSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden) => tanh(dense.forward(hidden[.., 0])); // [B,T,H] -> [B,H]
}
