using BertPlatform.Shared.Tokenization;

namespace BertPlatform.Shared.QuestionAnswering;

/// <summary>
/// Where an answer lies in one window of a question and its context, by the rule BERT's SQuAD code trains with: the
/// first and last context token covering the answer's characters, or none when the window does not hold it whole
/// (the window then trains as "no answer", pointing at [CLS]). The pre-flight report uses it to count answers that
/// no window holds; the runner's <c>QuestionAnsweringTask</c> applies the same rule (a test keeps them agreeing).
/// </summary>
public static class AnswerTokenSpan
{
    /// <param name="encoding">A window from <see cref="BertTextTokenizer.EncodeQuestionContext"/>.</param>
    /// <returns>The answer's first and last token in the window, or null.</returns>
    public static (int Start, int End)? Locate(BertEncoding encoding, int answerStart, int answerEnd)
    {
        int first = -1, last = -1;
        for (var i = 0; i < encoding.Length; i++)
        {
            if (!IsContext(encoding, i)) continue;
            if (first < 0) first = i;
            last = i;
        }
        if (first < 0 || encoding.Offsets[first]!.Value.Start > answerStart || encoding.Offsets[last]!.Value.End < answerEnd) return null;
        int? start = null, end = null;
        for (var i = first; i <= last; i++)
        {
            if (!IsContext(encoding, i)) continue;
            var span = encoding.Offsets[i]!.Value;
            if (span.Start <= answerStart) start = i;
            if (end == null && span.End >= answerEnd) end = i;
        }
        return start is { } s && end is { } e && s <= e ? (s, e) : null;
    }

    private static bool IsContext(BertEncoding encoding, int i) => encoding.SequenceIds[i] == 1 && encoding.Offsets[i] is not null;
}
