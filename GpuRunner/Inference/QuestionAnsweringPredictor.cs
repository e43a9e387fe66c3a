using System.Text.Json.Nodes;
using BertPlatform.GpuRunner.Modeling;
using BertPlatform.Shared.Tokenization;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Inference;

/// <summary>
/// {"question", "context"} -> {"start_logits", "end_logits" (one row per context window), "answer", "start", "end"}:
/// the best span over all windows by start+end logit, within the context, end ≥ start, at most 30 word pieces
/// (the SQuAD max_answer_length); start/end are character offsets into the context, end exclusive. The windows of
/// all the batch's questions go through one forward pass.
/// </summary>
public sealed class QuestionAnsweringPredictor(BertForQuestionAnswering model, BertTextTokenizer tokenizer, int maxLength, Device device) : IPredictor
{
    public const int MaxSequenceLength = 384;
    public const int DocStride = 128;
    public const int MaxAnswerTokens = 30;

    public string InputShape => "{\"question\": ..., \"context\": ...}";

    public IReadOnlyList<JsonObject> Predict(IReadOnlyList<JsonObject> inputs)
    {
        var windowLength = Math.Min(MaxSequenceLength, maxLength);
        // SQuAD's 128-token overlap at length 384 is a third of the window; small models keep that proportion.
        var stride = Math.Min(DocStride, windowLength / 3);
        var questions = inputs.Select(i => (Context: InputFields.Text(i, "context"), Question: InputFields.Text(i, "question"))).ToList();
        var windows = questions.Select(q => tokenizer.EncodeQuestionContext(q.Question, q.Context, windowLength, stride)).ToList();
        var output = model.forward(EncodedBatch.From(windows.SelectMany(w => w).ToList(), tokenizer.PadTokenId, device));
        var results = new List<JsonObject>();
        var first = 0;
        for (var q = 0; q < inputs.Count; q++)
        {
            // Each question's rows, cut to its own longest window: the logits it would get in a batch of its own.
            var length = windows[q].Max(w => w.Length);
            var rows = first..(first + windows[q].Count);
            results.Add(Decode(questions[q].Context, windows[q], output.StartLogits![rows, ..length], output.EndLogits![rows, ..length]));
            first += windows[q].Count;
        }
        return results;
    }

    private static JsonObject Decode(string context, IReadOnlyList<BertEncoding> windows, Tensor startLogits, Tensor endLogits)
    {
        var (bestScore, bestStart, bestEnd) = (double.NegativeInfinity, -1, -1);
        for (var w = 0; w < windows.Count; w++)
        {
            var encoding = windows[w];
            var starts = TensorJson.ToArray(startLogits[w]);
            var ends = TensorJson.ToArray(endLogits[w]);
            for (var s = 0; s < encoding.Length; s++)
            {
                if (encoding.SequenceIds[s] != 1 || encoding.Offsets[s] is not TextSpan startSpan) continue;
                for (var e = s; e < Math.Min(encoding.Length, s + MaxAnswerTokens); e++)
                {
                    if (encoding.SequenceIds[e] != 1 || encoding.Offsets[e] is not TextSpan endSpan) continue;
                    var score = starts[s] + ends[e];
                    if (score > bestScore) (bestScore, bestStart, bestEnd) = (score, startSpan.Start, endSpan.End);
                }
            }
        }
        return new JsonObject
        {
            ["start_logits"] = TensorJson.ToJson(startLogits),
            ["end_logits"] = TensorJson.ToJson(endLogits),
            ["answer"] = bestStart < 0 ? "" : context[bestStart..bestEnd],
            ["start"] = bestStart < 0 ? null : bestStart,
            ["end"] = bestStart < 0 ? null : bestEnd,
        };
    }
}
