using System.Text.Json.Nodes;
using BertPlatform.GpuRunner.Modeling;
using BertPlatform.Shared.Tokenization;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Inference;

/// <summary>
/// {"context", ["question",] "endings": [...]} -> {"logits" [C], "choice"}: each choice is the pair
/// (context, question + " " + ending), as transformers' SWAG recipe builds it.
/// </summary>
public sealed class MultipleChoicePredictor(BertForMultipleChoice model, BertTextTokenizer tokenizer, int maxLength, Device device) : IPredictor
{
    public string InputShape => "{\"context\": ..., \"question\": ... (optional), \"endings\": [\"...\", ...]}";

    public IReadOnlyList<JsonObject> Predict(IReadOnlyList<JsonObject> inputs) => inputs.Select(PredictOne).ToList();

    private JsonObject PredictOne(JsonObject input)
    {
        var context = InputFields.Text(input, "context");
        var question = InputFields.OptionalText(input, "question");
        var endings = InputFields.Strings(input, "endings");
        if (endings.Count == 0) throw new InvalidDataException("field 'endings' must hold at least one ending");
        var options = new EncodeOptions { MaxLength = maxLength };
        var choices = endings.Select(e => tokenizer.Encode(context, question is null ? e : $"{question} {e}", options)).ToList();
        var logits = model.forward(EncodedBatch.Choices(choices, tokenizer.PadTokenId, device)).Logits![0]; // [C]
        return new JsonObject { ["logits"] = TensorJson.ToJson(logits), ["choice"] = (int)logits.argmax().item<long>() };
    }
}
