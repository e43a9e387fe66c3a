using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>
/// Multiple choice: each (context, ending) pair [B,C,T] is encoded as its own row of [B*C,T], scored by a
/// one-output classifier on the pooled output, and the scores are regrouped to [B,C].
/// </summary>
public sealed class BertForMultipleChoice : BertTaskModel
{
    public readonly BertModel bert;
    private readonly BertDropout dropout;
    public readonly Linear classifier;

    public BertForMultipleChoice(BertConfig config) : base(config, nameof(BertForMultipleChoice))
    {
        bert = new BertModel(config);
        dropout = new BertDropout(ClassifierDropoutOf(config));
        classifier = nn.Linear(config.HiddenSize, 1);
        RegisterComponents();
    }

    public override BertModel Encoder => bert;

    public override BertOutput forward(BertBatch batch)
    {
        if (batch.InputIds.dim() != 3)
            throw new ArgumentException($"Multiple choice expects input ids [batch, choices, tokens]; got [{string.Join(",", batch.InputIds.shape)}].");
        var choices = batch.InputIds.shape[1];
        Tensor? Flat(Tensor? t) => t?.view(-1, t.shape[^1]); // [B,C,T] -> [B*C,T]
        // Each choice is scored from its [CLS] alone, so the last layer computes nothing else.
        var (_, pooled) = bert.forward(Flat(batch.InputIds)!, Flat(batch.TokenTypeIds), Flat(batch.AttentionMask), pooledOnly: true);
        var logits = classifier.forward(dropout.forward(pooled!)).view(-1, choices); // [B*C,1] -> [B,C]
        var loss = batch.Labels is null ? null : nn.functional.cross_entropy(logits, batch.Labels.view(-1));
        return new BertOutput { Loss = loss, Logits = logits, PoolerOutput = pooled };
    }
}
