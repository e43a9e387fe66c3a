using TorchSharp;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>The masked-LM head alone (BertForMaskedLM's <c>cls</c>), so its keys are <c>cls.predictions.*</c>.</summary>
public sealed class BertOnlyMLMHead : nn.Module<Tensor, Tensor>
{
    public readonly BertLMPredictionHead predictions;

    public BertOnlyMLMHead(BertConfig config, BertEmbeddings embeddings) : base(nameof(BertOnlyMLMHead))
    {
        predictions = new BertLMPredictionHead(config, embeddings);
        RegisterComponents();
    }

    public override Tensor forward(Tensor sequence) => predictions.forward(sequence);
}
