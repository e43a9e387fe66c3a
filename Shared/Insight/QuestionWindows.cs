using BertPlatform.Shared.QuestionAnswering;
using BertPlatform.Shared.Tokenization;

namespace BertPlatform.Shared.Insight;

/// <summary>
/// Splits each question's context into windows exactly as the runner does (the same tokenizer call, docStride and
/// maxQuestionLength) and counts what that costs: windows per question, questions needing several, question tokens
/// cut, and answers that no window holds whole (the runner trains those questions as unanswerable).
/// </summary>
internal sealed class QuestionWindows(BertTextTokenizer tokenizer, PreflightSettings settings)
{
    private readonly int maxLength = settings.Hyperparameters.MaxSequenceLength;
    private readonly int stride = settings.Windowing.DocStrideFor(settings.Hyperparameters.MaxSequenceLength);
    private readonly int maxQuestionTokens = settings.Windowing.MaxQuestionLength;
    private int windows, maxWindows, multiWindow, questionsCut, answerable, answersOutside, unwindowable;
    private string? unwindowableReason;

    public (int Windows, long Tokens, long QuestionTokensCut) Add(PreflightQuestionContext example)
    {
        var questionPieces = tokenizer.Tokenize(example.Question).Count;
        var cut = Math.Max(0, questionPieces - maxQuestionTokens);
        if (cut > 0) questionsCut++;
        IReadOnlyList<BertEncoding> split;
        try
        {
            split = tokenizer.EncodeQuestionContext(example.Question, example.Context, maxLength, stride, maxQuestionTokens);
        }
        catch (ArgumentOutOfRangeException e)
        {
            // The runner would fail on this question the same way: say so instead of guessing a window count.
            unwindowable++;
            unwindowableReason ??= e.Message.Split(" (Parameter")[0];
            return (0, 0, cut);
        }
        windows += split.Count;
        maxWindows = Math.Max(maxWindows, split.Count);
        if (split.Count > 1) multiWindow++;
        if (example.AnswerStart is { } start && example.AnswerEnd is { } end)
        {
            answerable++;
            if (!split.Any(window => AnswerTokenSpan.Locate(window, start, end) is not null)) answersOutside++;
        }
        return (split.Count, split.Sum(w => (long)w.Length), cut);
    }

    public WindowFigures Figures(int questions) => new()
    {
        DocStride = stride,
        MaxQuestionLength = maxQuestionTokens,
        Windows = windows,
        WindowsPerQuestion = questions == 0 ? 0 : Math.Round((double)windows / questions, 2),
        MaxWindows = maxWindows,
        MultiWindow = multiWindow,
        MultiWindowShare = DatasetProfiler.Share(multiWindow, questions),
        QuestionsCut = questionsCut,
        Answerable = answerable,
        AnswersOutsideWindows = answersOutside,
        AnswersOutsideShare = DatasetProfiler.Share(answersOutside, answerable),
        Unwindowable = unwindowable,
        UnwindowableReason = unwindowableReason,
    };
}
