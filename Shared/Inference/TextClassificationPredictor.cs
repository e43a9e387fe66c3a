using System.Text.Json.Nodes;
using BertPlatform.Shared.Tokenization;

namespace BertPlatform.Shared.Inference;

/// <summary>
/// {"text"[, "text_pair"]} -> single-label: {"label", "score", "scores": {label: softmax}}; multi-label: {"labels" with
/// sigmoid > 0.5, "scores": {label: sigmoid}}; regression: {"value"}.
/// </summary>
public sealed class TextClassificationPredictor : ITaskPredictor
{
    public string InputShape => "{\"text\": \"...\", \"text_pair\": \"...\" (optional)}";

    public IReadOnlyList<JsonObject> Predict(IBertInference model, IReadOnlyList<PredictionInput> inputs, PredictionSettings settings)
    {
        var options = new EncodeOptions { MaxLength = model.MaxLength };
        var encodings = inputs.Select(i => (IReadOnlyList<BertEncoding>)[model.Tokenizer.Encode(i.Text("text"), i.OptionalText("text_pair"), options)]).ToList();
        var logits = model.Run(encodings, choices: false, "logits").Outputs["logits"];
        var labels = model.Config.Labels;
        var width = logits.Length / inputs.Count;
        var results = new List<JsonObject>();
        for (var row = 0; row < inputs.Count; row++)
        {
            var rowLogits = logits.AsSpan(row * width, width);
            var result = new JsonObject();
            switch (model.Config.EffectiveProblemType)
            {
                case PublishedModelConfig.Regression:
                    result["value"] = rowLogits[0];
                    break;
                case PublishedModelConfig.MultiLabel:
                    var sigmoids = rowLogits.ToArray().Select(Probabilities.Sigmoid).ToArray();
                    result["labels"] = new JsonArray(sigmoids.Select((s, i) => (s, i)).Where(x => x.s > 0.5).Select(x => (JsonNode?)labels[x.i]).ToArray());
                    result["scores"] = Scores(labels, sigmoids);
                    break;
                default:
                    var probabilities = Probabilities.Softmax(rowLogits);
                    var best = Probabilities.ArgMax(rowLogits);
                    result["label"] = labels[best];
                    result["score"] = probabilities[best];
                    result["scores"] = Scores(labels, probabilities);
                    break;
            }
            results.Add(result);
        }
        return results;
    }

    private static JsonObject Scores(IReadOnlyList<string> labels, double[] values) =>
        new(labels.Select((label, i) => KeyValuePair.Create(label, (JsonNode?)values[i])));
}
