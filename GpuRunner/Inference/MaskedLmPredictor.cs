using System.Text.Json.Nodes;
using BertPlatform.GpuRunner.Modeling;
using BertPlatform.Shared.Tokenization;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Inference;

/// <summary>
/// {"text"[, "text_pair"]} with [MASK] tokens -> {"masks": [{"position", "top": [{"token", "id", "logit"}]}]} and, for
/// BertForPreTraining, {"seq_relationship_logits"}. Full [T, vocab] logits are not written: for mBERT that is
/// 119,547 numbers per token.
/// </summary>
public sealed class MaskedLmPredictor(BertTaskModel model, BertTextTokenizer tokenizer, int maxLength, Device device) : IPredictor
{
    public const int TopK = 5;

    public string InputShape => "{\"text\": ... with [MASK], \"text_pair\": ... (optional)}";

    public IReadOnlyList<JsonObject> Predict(IReadOnlyList<JsonObject> inputs)
    {
        var options = new EncodeOptions { MaxLength = maxLength };
        var encodings = inputs.Select(i => tokenizer.Encode(InputFields.Text(i, "text"), InputFields.OptionalText(i, "text_pair"), options)).ToList();
        var output = model.forward(EncodedBatch.From(encodings, tokenizer.PadTokenId, device));
        var results = new List<JsonObject>();
        for (var row = 0; row < inputs.Count; row++)
        {
            var masks = new JsonArray();
            for (var t = 0; t < encodings[row].Length; t++)
            {
                if (encodings[row].InputIds[t] != tokenizer.MaskTokenId) continue;
                var (values, indices) = output.Logits![row, t].topk(TopK);
                var logits = TensorJson.ToArray(values);
                using var ids = indices.cpu();
                masks.Add(new JsonObject
                {
                    ["position"] = t,
                    ["top"] = new JsonArray(Enumerable.Range(0, logits.Length).Select(k =>
                    {
                        var id = (int)ids[k].item<long>();
                        return (JsonNode)new JsonObject { ["token"] = tokenizer.IdToToken(id), ["id"] = id, ["logit"] = logits[k] };
                    }).ToArray()),
                });
            }
            var result = new JsonObject { ["masks"] = masks };
            if (output.SeqRelationshipLogits is { } nsp) result["seq_relationship_logits"] = TensorJson.ToJson(nsp[row]);
            results.Add(result);
        }
        return results;
    }
}
