using System.Text.Json.Nodes;
using BertPlatform.Shared.Inference;
using BertPlatform.Shared.Tokenization;

namespace BertPlatform.Functions.Predictions;

/// <summary>
/// {"context", ["question",] "endings": [...]} -> {"choice" (index), "ending", "scores" (softmax over the endings)}:
/// each choice is the pair (context, question + " " + ending), as the runner and transformers' SWAG recipe build it.
/// </summary>
public sealed class MultipleChoicePredictor : ITaskPredictor
{
    public string InputShape => "{\"context\": \"...\", \"question\": \"...\" (optional), \"endings\": [\"...\", ...]}";

    public IReadOnlyList<JsonObject> Predict(OnnxBertSession model, IReadOnlyList<PredictionInput> inputs, PredictionSettings settings) =>
        inputs.Select(i => PredictOne(model, i)).ToList();

    private static JsonObject PredictOne(OnnxBertSession model, PredictionInput input)
    {
        var context = input.Text("context");
        var question = input.OptionalText("question");
        var endings = input.Strings("endings");
        var options = new EncodeOptions { MaxLength = model.MaxLength };
        var choices = endings.Select(e => model.Tokenizer.Encode(context, question is null ? e : $"{question} {e}", options)).ToList();
        var logits = model.Run([choices], choices: true, "logits").Outputs["logits"];
        var best = Probabilities.ArgMax(logits);
        return new JsonObject
        {
            ["choice"] = best,
            ["ending"] = endings[best],
            ["scores"] = new JsonArray(Probabilities.Softmax(logits).Select(p => (JsonNode?)p).ToArray()),
        };
    }
}
