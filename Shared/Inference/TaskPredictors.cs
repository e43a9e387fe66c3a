namespace BertPlatform.Shared.Inference;

/// <summary>The predictor of each head a published model can have, by config.json's architecture.</summary>
public static class TaskPredictors
{
    private static readonly Dictionary<string, ITaskPredictor> byArchitecture = new(StringComparer.Ordinal)
    {
        ["BertForSequenceClassification"] = new TextClassificationPredictor(),
        ["BertForTokenClassification"] = new TokenClassificationPredictor(),
        ["BertForQuestionAnswering"] = new QuestionAnsweringPredictor(),
        ["BertForMultipleChoice"] = new MultipleChoicePredictor(),
        ["BertForMaskedLM"] = new FillMaskPredictor(),
        ["BertForPreTraining"] = new FillMaskPredictor(),
    };

    /// <summary>The predictor for <paramref name="architecture"/>, or null for a head nothing serves.</summary>
    public static ITaskPredictor? ForArchitecture(string architecture) => byArchitecture.GetValueOrDefault(architecture);
}
