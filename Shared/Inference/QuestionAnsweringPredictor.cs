using System.Text.Json.Nodes;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.QuestionAnswering;
using BertPlatform.Shared.Tokenization;

namespace BertPlatform.Shared.Inference;

/// <summary>
/// {"question", "context"} -> {"answer", "start", "end", "score"}: the context is cut into windows with a stride as
/// in training (384 tokens and 128 of overlap, scaled down for shorter models, as the runner's <c>predict</c>), and
/// <see cref="AnswerDecoder"/> picks the best span over all windows; with <c>handleImpossibleAnswer</c> the null
/// answer competes (SQuAD 2.0 models) and wins as answer "" with start and end null.
/// </summary>
public sealed class QuestionAnsweringPredictor : ITaskPredictor
{
    public const int MaxSequenceLength = 384;
    public const int DocStride = 128;

    public string InputShape => "{\"question\": \"...\", \"context\": \"...\"}";

    public IReadOnlyList<JsonObject> Predict(IBertInference model, IReadOnlyList<PredictionInput> inputs, PredictionSettings settings)
    {
        var windowLength = Math.Min(MaxSequenceLength, model.MaxLength);
        var stride = Math.Min(DocStride, windowLength / 3);
        var questions = inputs.Select(i => (Question: i.Text("question"), Context: i.Text("context"))).ToList();
        var windows = questions.Select(q => model.Tokenizer.EncodeQuestionContext(q.Question, q.Context, windowLength, stride)).ToList();
        // The windows of every question go through one forward pass; each window's logits are read at its own length.
        var (outputs, tokens) = model.Run(windows.SelectMany(w => w).Select(w => (IReadOnlyList<BertEncoding>)[w]).ToList(), choices: false, "start_logits", "end_logits");
        var results = new List<JsonObject>();
        var row = 0;
        for (var q = 0; q < questions.Count; q++)
        {
            var answerWindows = new List<AnswerWindow>();
            foreach (var w in windows[q])
            {
                answerWindows.Add(new AnswerWindow(
                    new ArraySegment<float>(outputs["start_logits"], row * tokens, w.Length),
                    new ArraySegment<float>(outputs["end_logits"], row * tokens, w.Length),
                    Enumerable.Range(0, w.Length).Select(t => w.SequenceIds[t] == 1 && w.Offsets[t] is TextSpan s ? new Range(s.Start, s.End) : (Range?)null).ToList()));
                row++;
            }
            results.Add(Answer(questions[q].Context, answerWindows, settings));
        }
        return results;
    }

    private static JsonObject Answer(string context, IReadOnlyList<AnswerWindow> windows, PredictionSettings settings)
    {
        var decoded = AnswerDecoder.Decode(context, windows, new QuestionAnsweringOptions { VersionTwoWithNegative = settings.HandleImpossibleAnswer });
        var best = decoded.NBest.FirstOrDefault();
        var answered = best is { IsNoAnswer: false } && decoded.Prediction.Length > 0;
        return new JsonObject
        {
            ["answer"] = decoded.Prediction,
            ["start"] = answered ? best!.ContextStart : null,
            ["end"] = answered ? best!.ContextEnd : null,
            ["score"] = best?.Probability,
            ["windows"] = windows.Count,
        };
    }
}
