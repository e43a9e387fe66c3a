using TorchSharp;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>Masked LM only; the encoder has no pooler (transformers: add_pooling_layer=False).</summary>
public sealed class BertForMaskedLM : BertTaskModel
{
    public readonly BertModel bert;
    public readonly BertOnlyMLMHead cls;

    public BertForMaskedLM(BertConfig config) : base(config, nameof(BertForMaskedLM))
    {
        bert = new BertModel(config, addPoolingLayer: false);
        cls = new BertOnlyMLMHead(config, bert.embeddings);
        RegisterComponents();
    }

    public override BertModel Encoder => bert;

    public override BertOutput forward(BertBatch batch)
    {
        var (sequence, _) = bert.forward(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask);
        Tensor predictionScores;
        Tensor? loss = null;
        if (training && batch.Labels is not null)
        {
            var (rows, targets) = LabelledPositions.Select(sequence, batch.Labels);
            predictionScores = cls.forward(rows); // [N,V]
            loss = nn.functional.cross_entropy(predictionScores, targets);
        }
        else
        {
            predictionScores = cls.forward(sequence); // [B,T,V]
            if (batch.Labels is not null) loss = Losses.MaskedLm(predictionScores, batch.Labels);
        }
        return new BertOutput { Loss = loss, MlmLoss = loss, Logits = predictionScores, LastHiddenState = sequence };
    }
}
