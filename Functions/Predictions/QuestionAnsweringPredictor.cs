using System.Text.Json.Nodes;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.QuestionAnswering;
using BertPlatform.Shared.Tokenization;

namespace BertPlatform.Functions.Predictions;

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

    public IReadOnlyList<JsonObject> Predict(OnnxBertSession model, IReadOnlyList<PredictionInput> inputs, PredictionSettings settings) =>
        inputs.Select(i => PredictOne(model, i, settings)).ToList();

    private static JsonObject PredictOne(OnnxBertSession model, PredictionInput input, PredictionSettings settings)
    {
        var question = input.Text("question");
        var context = input.Text("context");
        var windowLength = Math.Min(MaxSequenceLength, model.MaxLength);
        var stride = Math.Min(DocStride, windowLength / 3);
        var windows = model.Tokenizer.EncodeQuestionContext(question, context, windowLength, stride);
        var (outputs, tokens) = model.Run(windows.Select(w => (IReadOnlyList<BertEncoding>)[w]).ToList(), choices: false, "start_logits", "end_logits");
        var answerWindows = windows.Select((w, i) => new AnswerWindow(
            new ArraySegment<float>(outputs["start_logits"], i * tokens, w.Length),
            new ArraySegment<float>(outputs["end_logits"], i * tokens, w.Length),
            Enumerable.Range(0, w.Length).Select(t => w.SequenceIds[t] == 1 && w.Offsets[t] is TextSpan s ? new Range(s.Start, s.End) : (Range?)null).ToList()))
            .ToList();
        var decoded = AnswerDecoder.Decode(context, answerWindows, new QuestionAnsweringOptions { VersionTwoWithNegative = settings.HandleImpossibleAnswer });
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
