using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>The stack of transformer layers.</summary>
public sealed class BertEncoder : nn.Module<Tensor, Tensor?, Tensor>
{
    public readonly ModuleList<BertLayer> layer;

    public BertEncoder(BertConfig config) : base(nameof(BertEncoder))
    {
        layer = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new BertLayer(config)).ToArray());
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor? extendedMask)
    {
        // Each layer's output is the next one's input and then garbage: only the last leaves this scope (see BertLayer).
        using var scope = NewDisposeScope();
        foreach (var block in layer) hidden = block.forward(hidden, extendedMask);
        return hidden.MoveToOuterDisposeScope();
    }
}
