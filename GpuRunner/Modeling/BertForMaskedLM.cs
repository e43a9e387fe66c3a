using TorchSharp;

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
        var (predictionScores, loss) = LabelledPositions.Score(cls.forward, sequence, batch.Labels, training);
        return new BertOutput { Loss = loss, MlmLoss = loss, Logits = predictionScores, LastHiddenState = sequence };
    }
}
