using TorchSharp;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>Masked LM + next-sentence prediction; the loss is the sum of both (of whichever labels are given).</summary>
public sealed class BertForPreTraining : BertTaskModel
{
    public readonly BertModel bert;
    public readonly BertPreTrainingHeads cls;

    public BertForPreTraining(BertConfig config) : base(config, nameof(BertForPreTraining))
    {
        bert = new BertModel(config);
        cls = new BertPreTrainingHeads(config, bert.embeddings);
        RegisterComponents();
    }

    public override BertModel Encoder => bert;

    public override BertOutput forward(BertBatch batch)
    {
        var (sequence, pooled) = bert.forward(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask);
        var seqRelationship = cls.seq_relationship.forward(pooled!);
        var (predictionScores, mlmLoss) = LabelledPositions.Score(cls.predictions.forward, sequence, batch.Labels, training);
        var nspLoss = batch.NextSentenceLabels is null ? null : nn.functional.cross_entropy(seqRelationship.view(-1, 2), batch.NextSentenceLabels.view(-1));
        var loss = (mlmLoss, nspLoss) switch
        {
            (null, null) => null,
            (Tensor m, null) => m,
            (null, Tensor n) => n,
            (Tensor m, Tensor n) => m + n,
        };
        return new BertOutput
        {
            Loss = loss, MlmLoss = mlmLoss, NspLoss = nspLoss, Logits = predictionScores, SeqRelationshipLogits = seqRelationship,
            LastHiddenState = sequence, PoolerOutput = pooled,
        };
    }
}
