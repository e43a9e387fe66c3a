using System.Text.Json.Nodes;
using BertPlatform.Shared.Tokenization;

namespace BertPlatform.Shared.Inference;

/// <summary>
/// {"text"[, "text_pair"]} with [MASK] tokens -> {"masks": [{"position", "top": [{"token", "id", "score"}]}]}: the
/// <c>topK</c> most probable tokens (softmax over the vocabulary) at every mask position.
/// </summary>
public sealed class FillMaskPredictor : ITaskPredictor
{
    public string InputShape => "{\"text\": \"... [MASK] ...\", \"text_pair\": \"...\" (optional)}";

    public IReadOnlyList<JsonObject> Predict(IBertInference model, IReadOnlyList<PredictionInput> inputs, PredictionSettings settings)
    {
        var tokenizer = model.Tokenizer;
        var options = new EncodeOptions { MaxLength = model.MaxLength };
        var encodings = inputs.Select(i => tokenizer.Encode(i.Text("text"), i.OptionalText("text_pair"), options)).ToList();
        for (var i = 0; i < encodings.Count; i++)
            if (!encodings[i].InputIds.Contains(tokenizer.MaskTokenId))
                throw inputs[i].Error("text", $"inputs[{i}].text has no {SpecialTokens.Mask} token to fill (within the first {model.MaxLength} tokens).");
        var (outputs, tokens) = model.Run(encodings.Select(e => (IReadOnlyList<BertEncoding>)[e]).ToList(), choices: false, "logits");
        var logits = outputs["logits"];
        var vocabulary = logits.Length / (encodings.Count * tokens);
        var results = new List<JsonObject>();
        for (var row = 0; row < encodings.Count; row++)
        {
            var masks = new JsonArray();
            for (var t = 0; t < encodings[row].Length; t++)
            {
                if (encodings[row].InputIds[t] != tokenizer.MaskTokenId) continue;
                var probabilities = Probabilities.Softmax(logits.AsSpan((row * tokens + t) * vocabulary, vocabulary));
                var top = Enumerable.Range(0, vocabulary).OrderByDescending(id => probabilities[id]).ThenBy(id => id).Take(settings.TopK);
                masks.Add(new JsonObject
                {
                    ["position"] = t,
                    ["top"] = new JsonArray(top.Select(id => (JsonNode)new JsonObject
                    {
                        ["token"] = tokenizer.IdToToken(id), ["id"] = id, ["score"] = probabilities[id],
                    }).ToArray()),
                });
            }
            results.Add(new JsonObject { ["masks"] = masks });
        }
        return results;
    }
}
