using System.Text.Json.Nodes;
using BertPlatform.GpuRunner.Modeling;
using BertPlatform.Shared.Tokenization;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Inference;

/// <summary>
/// {"text"[, "text_pair"]} -> {"logits", "label"} (single-label), {"labels"} (multi-label: sigmoid > 0.5) or
/// {"score"} (regression), label names from config.json's id2label.
/// </summary>
public sealed class TextClassificationPredictor(BertForSequenceClassification model, BertTextTokenizer tokenizer, int maxLength, Device device) : IPredictor
{
    public string InputShape => "{\"text\": ..., \"text_pair\": ... (optional)}";

    public IReadOnlyList<JsonObject> Predict(IReadOnlyList<JsonObject> inputs)
    {
        var options = new EncodeOptions { MaxLength = maxLength };
        var encodings = inputs.Select(i => tokenizer.Encode(InputFields.Text(i, "text"), InputFields.OptionalText(i, "text_pair"), options)).ToList();
        var logits = model.forward(EncodedBatch.From(encodings, tokenizer.PadTokenId, device)).Logits!; // [B,L]
        var problem = model.Config.ProblemType ?? (model.Config.NumLabels == 1 ? BertForSequenceClassification.Regression : BertForSequenceClassification.SingleLabel);
        var names = model.Config.LabelNames;
        var results = new List<JsonObject>();
        for (var row = 0; row < inputs.Count; row++)
        {
            var rowLogits = TensorJson.ToArray(logits[row]);
            var result = new JsonObject { ["logits"] = TensorJson.ToJson(logits[row]) };
            switch (problem)
            {
                case BertForSequenceClassification.Regression:
                    result["score"] = rowLogits[0];
                    break;
                case BertForSequenceClassification.MultiLabel:
                    result["labels"] = new JsonArray(rowLogits.Select((l, i) => (l, i)).Where(x => 1 / (1 + Math.Exp(-x.l)) > 0.5)
                        .Select(x => (JsonNode?)names[x.i]).ToArray());
                    break;
                default:
                    result["label"] = names[Array.IndexOf(rowLogits, rowLogits.Max())];
                    break;
            }
            results.Add(result);
        }
        return results;
    }
}
