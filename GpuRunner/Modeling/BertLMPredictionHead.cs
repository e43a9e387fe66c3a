using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>
/// The masked-LM head: transform, then a decoder whose weight IS the word-embedding matrix, plus <c>bias</c>.
/// The decoder holds no parameter of its own, so the tied matrix appears once in state_dict and once to the
/// optimizer (its gradient is the sum of the lookup and decoder gradients), and checkpoints omit
/// <c>cls.predictions.decoder.weight</c> exactly as transformers' safetensors files do.
/// </summary>
public sealed class BertLMPredictionHead : nn.Module<Tensor, Tensor>
{
    public readonly BertPredictionHeadTransform transform;
    public readonly Parameter bias;
    // A delegate, not a field of type Parameter/Module, so RegisterComponents does not register the tied matrix twice;
    // it is read at every call because moving the model to a device replaces the embedding's parameter object.
    private readonly Func<Tensor> decoderWeight;

    public BertLMPredictionHead(BertConfig config, BertEmbeddings embeddings) : base(nameof(BertLMPredictionHead))
    {
        transform = new BertPredictionHeadTransform(config);
        bias = nn.Parameter(zeros(config.VocabSize));
        decoderWeight = () => embeddings.word_embeddings.weight!;
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden) =>
        nn.functional.linear(transform.forward(hidden), decoderWeight(), bias); // [B,T,H] -> [B,T,V]
}
