using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>
/// A classifier on the pooled [CLS] output. The loss follows config.problem_type, inferred like transformers when
/// absent: one label -> regression (MSE); integer labels -> single-label (cross-entropy); otherwise multi-label
/// (BCE with logits over float 0/1 targets).
/// </summary>
public sealed class BertForSequenceClassification : BertTaskModel
{
    public const string SingleLabel = "single_label_classification";
    public const string MultiLabel = "multi_label_classification";
    public const string Regression = "regression";

    public readonly BertModel bert;
    private readonly BertDropout dropout;
    public readonly Linear classifier;

    public BertForSequenceClassification(BertConfig config) : base(config, nameof(BertForSequenceClassification))
    {
        bert = new BertModel(config);
        dropout = new BertDropout(ClassifierDropoutOf(config));
        classifier = nn.Linear(config.HiddenSize, config.NumLabels);
        RegisterComponents();
    }

    public override BertModel Encoder => bert;

    public override BertOutput forward(BertBatch batch)
    {
        // The classifier reads [CLS] alone, so the last layer computes nothing else (the same logits, less work).
        var (_, pooled) = bert.forward(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask, pooledOnly: true);
        var logits = classifier.forward(dropout.forward(pooled!)); // [B,L]
        return new BertOutput
        {
            Loss = batch.Labels is null ? null : Loss(logits, batch.Labels),
            Logits = logits, PoolerOutput = pooled,
        };
    }

    /// <summary>The problem type config.json names, or the one transformers infers from the labels.</summary>
    public string ProblemTypeFor(Tensor labels) => Config.ProblemType ?? (Config.NumLabels == 1 ? Regression
        : labels.dtype is ScalarType.Int64 or ScalarType.Int32 ? SingleLabel : MultiLabel);

    private Tensor Loss(Tensor logits, Tensor labels) => ProblemTypeFor(labels) switch
    {
        Regression when Config.NumLabels == 1 => nn.functional.mse_loss(logits.squeeze(), labels.squeeze().to(logits.dtype)),
        Regression => nn.functional.mse_loss(logits, labels.to(logits.dtype)),
        SingleLabel => nn.functional.cross_entropy(logits.view(-1, Config.NumLabels), labels.view(-1).to(ScalarType.Int64)),
        MultiLabel => nn.functional.binary_cross_entropy_with_logits(logits, labels.to(logits.dtype)),
        var other => throw new InvalidOperationException(
            $"problem_type '{other}' is not one of {SingleLabel}, {MultiLabel}, {Regression}."),
    };
}
