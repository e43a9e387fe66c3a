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

    public override Tensor forward(Tensor hidden, Tensor? extendedMask)
    {
        var attended = attention.forward(hidden, extendedMask);
        return output.forward(intermediate.forward(attended), attended);
    }
}
