using System.Text.Json.Nodes;
using BertPlatform.Shared.Tokenization;

namespace BertPlatform.Shared.Inference;

/// <summary>
/// {"tokens": [words]} or {"text"} -> {"tags": one per word, "entities": [{"entity_group", "score", "word", "start",
/// "end"}]}. A word takes the tag of its first sub-word (as the runner's <c>predict</c>); entities group words by
/// <see cref="EntityGrouping"/>. Character spans are into the text, or for tokens into the words joined by spaces.
/// Words past the model's maximum length are cut off and tagged null.
/// </summary>
public sealed class TokenClassificationPredictor : ITaskPredictor
{
    public string InputShape => "{\"tokens\": [\"word\", ...]} or {\"text\": \"...\"}";

    public IReadOnlyList<JsonObject> Predict(IBertInference model, IReadOnlyList<PredictionInput> inputs, PredictionSettings settings)
    {
        var options = new EncodeOptions { MaxLength = model.MaxLength };
        var prepared = inputs.Select(i => Prepare(model.Tokenizer, i, options)).ToList();
        var (outputs, tokens) = model.Run(prepared.Select(p => (IReadOnlyList<BertEncoding>)[p.Encoding]).ToList(), choices: false, "logits");
        var logits = outputs["logits"];
        var labels = model.Config.Labels;
        var results = new List<JsonObject>();
        for (var row = 0; row < inputs.Count; row++)
        {
            var (encoding, text, wordStarts) = prepared[row];
            var words = new WordTag?[wordStarts?.Length ?? encoding.WordIds.Where(w => w.HasValue).Select(w => w!.Value).DefaultIfEmpty(-1).Max() + 1];
            for (var t = 0; t < encoding.Length; t++)
            {
                if (encoding.WordIds[t] is not int word || encoding.Offsets[t] is not TextSpan span) continue;
                var offset = wordStarts?[word] ?? 0;
                var scores = logits.AsSpan((row * tokens + t) * labels.Count, labels.Count);
                if (words[word] is { } open)
                {
                    words[word] = open with { End = offset + span.End }; // later sub-words only widen the word's span
                    continue;
                }
                var best = Probabilities.ArgMax(scores);
                words[word] = new WordTag(labels[best], Probabilities.Softmax(scores)[best], offset + span.Start, offset + span.End);
            }
            results.Add(new JsonObject
            {
                ["tags"] = new JsonArray(words.Select(w => (JsonNode?)w?.Tag).ToArray()),
                ["entities"] = new JsonArray(EntityGrouping.Group(text, words).Select(e => (JsonNode)new JsonObject
                {
                    ["entity_group"] = e.EntityGroup, ["score"] = e.Score, ["word"] = e.Word, ["start"] = e.Start, ["end"] = e.End,
                }).ToArray()),
            });
        }
        return results;
    }

    private static (BertEncoding Encoding, string Text, int[]? WordStarts) Prepare(BertTextTokenizer tokenizer, PredictionInput input, EncodeOptions options)
    {
        if (input.Has("tokens"))
        {
            var words = input.Strings("tokens");
            var starts = new int[words.Count];
            for (var i = 1; i < words.Count; i++) starts[i] = starts[i - 1] + words[i - 1].Length + 1;
            return (tokenizer.EncodeWords(words, options), string.Join(" ", words), starts);
        }
        var text = input.Text("text");
        return (tokenizer.Encode(text, null, options), text, null);
    }
}
