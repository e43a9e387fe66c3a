using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>The masked-LM head and the next-sentence classifier on the pooled output.</summary>
public sealed class BertPreTrainingHeads : nn.Module<Tensor, Tensor, (Tensor PredictionScores, Tensor SeqRelationshipScores)>
{
    public readonly BertLMPredictionHead predictions;
    public readonly Linear seq_relationship;

    public BertPreTrainingHeads(BertConfig config, BertEmbeddings embeddings) : base(nameof(BertPreTrainingHeads))
    {
        predictions = new BertLMPredictionHead(config, embeddings);
        seq_relationship = nn.Linear(config.HiddenSize, 2);
        RegisterComponents();
    }

    public override (Tensor PredictionScores, Tensor SeqRelationshipScores) forward(Tensor sequence, Tensor pooled) =>
        (predictions.forward(sequence), seq_relationship.forward(pooled));
}
