using System.Text.Json.Nodes;
using BertPlatform.Shared.Tokenization;

namespace BertPlatform.Shared.Inference;

/// <summary>
/// {"context", ["question",] "endings": [...]} -> {"choice" (index), "ending", "scores" (softmax over the endings)}:
/// each choice is the pair (context, question + " " + ending), as the runner and transformers' SWAG recipe build it.
/// </summary>
public sealed class MultipleChoicePredictor : ITaskPredictor
{
    public string InputShape => "{\"context\": \"...\", \"question\": \"...\" (optional), \"endings\": [\"...\", ...]}";

    public IReadOnlyList<JsonObject> Predict(IBertInference model, IReadOnlyList<PredictionInput> inputs, PredictionSettings settings)
    {
        var questions = inputs.Select(i => Encode(model, i)).ToList();
        var results = new JsonObject[inputs.Count];
        // Questions with the same number of endings share one forward pass ([questions, choices, tokens]).
        foreach (var group in Enumerable.Range(0, inputs.Count).GroupBy(i => questions[i].Choices.Count))
        {
            var rows = group.ToList();
            var logits = model.Run(rows.Select(i => questions[i].Choices).ToList(), choices: true, "logits").Outputs["logits"];
            for (var k = 0; k < rows.Count; k++)
            {
                var scores = logits.AsSpan(k * group.Key, group.Key);
                var best = Probabilities.ArgMax(scores);
                results[rows[k]] = new JsonObject
                {
                    ["choice"] = best,
                    ["ending"] = questions[rows[k]].Endings[best],
                    ["scores"] = new JsonArray(Probabilities.Softmax(scores).Select(p => (JsonNode?)p).ToArray()),
                };
            }
        }
        return results;
    }

    private static (IReadOnlyList<string> Endings, IReadOnlyList<BertEncoding> Choices) Encode(IBertInference model, PredictionInput input)
    {
        var context = input.Text("context");
        var question = input.OptionalText("question");
        var endings = input.Strings("endings");
        var options = new EncodeOptions { MaxLength = model.MaxLength };
        return (endings, endings.Select(e => model.Tokenizer.Encode(context, question is null ? e : $"{question} {e}", options)).ToList());
    }
}
