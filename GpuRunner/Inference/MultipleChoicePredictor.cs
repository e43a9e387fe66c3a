using System.Text.Json.Nodes;
using BertPlatform.GpuRunner.Modeling;
using BertPlatform.Shared.Tokenization;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Inference;

/// <summary>
/// {"context", ["question",] "endings": [...]} -> {"logits" [C], "choice"}: each choice is the pair
/// (context, question + " " + ending), as transformers' SWAG recipe builds it. Questions with the same number of
/// endings share one forward pass ([Q,C,T]).
/// </summary>
public sealed class MultipleChoicePredictor(BertForMultipleChoice model, BertTextTokenizer tokenizer, int maxLength, Device device) : IPredictor
{
    public string InputShape => "{\"context\": ..., \"question\": ... (optional), \"endings\": [\"...\", ...]}";

    public IReadOnlyList<JsonObject> Predict(IReadOnlyList<JsonObject> inputs)
    {
        var choices = inputs.Select(Encode).ToList();
        var results = new JsonObject[inputs.Count];
        foreach (var group in Enumerable.Range(0, inputs.Count).GroupBy(i => choices[i].Count))
        {
            var rows = group.ToList();
            var logits = model.forward(EncodedBatch.Choices(rows.Select(i => choices[i]).ToList(), tokenizer.PadTokenId, device)).Logits!; // [Q,C]
            for (var q = 0; q < rows.Count; q++)
                results[rows[q]] = new JsonObject { ["logits"] = TensorJson.ToJson(logits[q]), ["choice"] = (int)logits[q].argmax().item<long>() };
        }
        return results;
    }

    private IReadOnlyList<BertEncoding> Encode(JsonObject input)
    {
        var context = InputFields.Text(input, "context");
        var question = InputFields.OptionalText(input, "question");
        var endings = InputFields.Strings(input, "endings");
        if (endings.Count == 0) throw new InvalidDataException("field 'endings' must hold at least one ending");
        var options = new EncodeOptions { MaxLength = maxLength };
        return endings.Select(e => tokenizer.Encode(context, question is null ? e : $"{question} {e}", options)).ToList();
    }
}
