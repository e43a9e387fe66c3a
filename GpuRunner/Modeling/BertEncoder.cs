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

    public override Tensor forward(Tensor hidden, Tensor? extendedMask) => forward(hidden, extendedMask, firstTokenOnly: false);

    /// <param name="firstTokenOnly">
    /// The last layer computes only the first position ([CLS]), for heads that read nothing else (the pooler): its
    /// keys and values still come from every position, so that row is the full output's first row, for about a
    /// twelfth of the encoder's work less. The result is then [B,1,H].
    /// </param>
    public Tensor forward(Tensor hidden, Tensor? extendedMask, bool firstTokenOnly)
    {
        // Each layer's output is the next one's input and then garbage. It is freed as soon as the next layer has run,
        // not when this scope ends: otherwise every layer's output (12.6 MB each for mBERT on 32 × 128 tokens) would be
        // held to the end of the pass. Autograd keeps its own reference to what backward needs.
        using var scope = NewDisposeScope();
        var current = hidden;
        for (var i = 0; i < layer.Count; i++)
        {
            var next = firstTokenOnly && i == layer.Count - 1
                ? layer[i].forward(current, extendedMask, current[.., ..1])
                : layer[i].forward(current, extendedMask);
            if (!ReferenceEquals(current, hidden)) current.Dispose(); // the caller's input stays the caller's
            current = next;
        }
        return current.MoveToOuterDisposeScope();
    }
}
