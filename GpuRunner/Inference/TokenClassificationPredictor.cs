using System.Text.Json.Nodes;
using BertPlatform.GpuRunner.Modeling;
using BertPlatform.Shared.Tokenization;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Inference;

/// <summary>
/// {"tokens": [words]} -> {"logits" [T,L] per word piece, "tags": one tag per word}. A word's tag is the arg-max of its
/// first word piece, the piece transformers' token-classification recipe labels; words cut off by truncation get null.
/// </summary>
public sealed class TokenClassificationPredictor(BertForTokenClassification model, BertTextTokenizer tokenizer, int maxLength, Device device) : IPredictor
{
    public string InputShape => "{\"tokens\": [\"word\", ...]}";

    public IReadOnlyList<JsonObject> Predict(IReadOnlyList<JsonObject> inputs)
    {
        var options = new EncodeOptions { MaxLength = maxLength };
        var words = inputs.Select(i => InputFields.Strings(i, "tokens")).ToList();
        var encodings = words.Select(w => tokenizer.EncodeWords(w, options)).ToList();
        var logits = model.forward(EncodedBatch.From(encodings, tokenizer.PadTokenId, device)).Logits!; // [B,T,L]
        using var best = logits.argmax(-1).cpu(); // [B,T]
        var names = model.Config.LabelNames;
        var results = new List<JsonObject>();
        for (var row = 0; row < inputs.Count; row++)
        {
            var encoding = encodings[row];
            var tags = new JsonNode?[words[row].Count];
            for (var t = 0; t < encoding.Length; t++)
                if (encoding.WordIds[t] is int word && (t == 0 || encoding.WordIds[t - 1] != word))
                    tags[word] = names[(int)best[row, t].item<long>()];
            results.Add(new JsonObject
            {
                ["logits"] = TensorJson.ToJson(logits[row, ..encoding.Length]),
                ["tags"] = new JsonArray(tags),
            });
        }
        return results;
    }
}
