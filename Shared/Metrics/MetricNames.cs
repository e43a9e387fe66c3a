namespace BertPlatform.Shared.Metrics;

/// <summary>The names metrics are reported under; the SQuAD ones are the official v2.0 evaluation script's keys.</summary>
public static class MetricNames
{
    public const string Accuracy = "accuracy";
    public const string F1Macro = "f1_macro";
    public const string F1Micro = "f1_micro";
    public const string MatthewsCorrelation = "matthews_correlation";
    public const string SubsetAccuracy = "subset_accuracy";

    public const string Pearson = "pearson";
    public const string Spearman = "spearman";
    public const string MeanSquaredError = "mse";

    public const string Precision = "precision";
    public const string Recall = "recall";
    public const string F1 = "f1";

    public const string Exact = "exact";
    public const string Total = "total";
    public const string HasAnswerPrefix = "HasAns_";
    public const string NoAnswerPrefix = "NoAns_";
    public const string BestExact = "best_exact";
    public const string BestExactThreshold = "best_exact_thresh";
    public const string BestF1 = "best_f1";
    public const string BestF1Threshold = "best_f1_thresh";

    public const string MlmAccuracy = "mlm_accuracy";
    public const string NspAccuracy = "nsp_accuracy";
    public const string MlmLoss = "mlm_loss";
    public const string Perplexity = "perplexity";

    /// <summary>Held-out accuracy of always predicting the held-out masks' most frequent token (the unigram baseline).</summary>
    public const string MlmUnigramAccuracy = "mlm_unigram_accuracy";
}
