using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>
/// The masked-LM head and the next-sentence classifier on the pooled output, holding them under transformers' keys
/// (<c>cls.predictions.*</c>, <c>cls.seq_relationship.*</c>). BertForPreTraining calls each head itself, because in
/// training the masked-LM head scores only the labelled rows (<see cref="LabelledPositions"/>).
/// </summary>
public sealed class BertPreTrainingHeads : nn.Module
{
    public readonly BertLMPredictionHead predictions;
    public readonly Linear seq_relationship;

    public BertPreTrainingHeads(BertConfig config, BertEmbeddings embeddings) : base(nameof(BertPreTrainingHeads))
    {
        predictions = new BertLMPredictionHead(config, embeddings);
        seq_relationship = nn.Linear(config.HiddenSize, 2);
        RegisterComponents();
    }
}
