using System.Text.Json.Nodes;

namespace BertPlatform.Shared.Inference;

/// <summary>The predict endpoint's behaviour for one head: read inputs in the task's shape, run the model, answer in
/// the shape transformers pipelines answer in.</summary>
public interface ITaskPredictor
{
    /// <summary>The input shape, named in errors.</summary>
    string InputShape { get; }

    IReadOnlyList<JsonObject> Predict(IBertInference model, IReadOnlyList<PredictionInput> inputs, PredictionSettings settings);
}

/// <summary>Request-level options: <c>topK</c> (fill-mask, classification scores kept all) and
/// <c>handleImpossibleAnswer</c> (question answering may answer "" for SQuAD 2.0 models).</summary>
public sealed record PredictionSettings(int TopK = 5, bool HandleImpossibleAnswer = false);
