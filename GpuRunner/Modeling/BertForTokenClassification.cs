using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>A per-token classifier (NER and the like); no pooler. Labels of -100 are ignored by the loss.</summary>
public sealed class BertForTokenClassification : BertTaskModel
{
    public readonly BertModel bert;
    private readonly BertDropout dropout;
    public readonly Linear classifier;

    public BertForTokenClassification(BertConfig config) : base(config, nameof(BertForTokenClassification))
    {
        bert = new BertModel(config, addPoolingLayer: false);
        dropout = new BertDropout(ClassifierDropoutOf(config));
        classifier = nn.Linear(config.HiddenSize, config.NumLabels);
        RegisterComponents();
    }

    public override BertModel Encoder => bert;

    public override BertOutput forward(BertBatch batch)
    {
        var (sequence, _) = bert.forward(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask);
        var logits = classifier.forward(dropout.forward(sequence)); // [B,T,L]
        var loss = batch.Labels is null ? null
            : nn.functional.cross_entropy(logits.view(-1, Config.NumLabels), batch.Labels.view(-1), ignore_index: Losses.IgnoreIndex);
        return new BertOutput { Loss = loss, Logits = logits, LastHiddenState = sequence };
    }
}
