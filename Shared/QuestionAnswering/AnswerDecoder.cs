using BertPlatform.Shared.Contracts;

namespace BertPlatform.Shared.QuestionAnswering;

/// <summary>
/// Turns start/end logits over a question's windows into an answer, as transformers' <c>postprocess_qa_predictions</c>
/// does: in each window, pair each of the n best start tokens with each of the n best end tokens, keep pairs that lie
/// in the context with end ≥ start and at most <c>MaxAnswerLength</c> tokens, score them start + end logit, and keep the
/// n best over all windows. For v2.0 the null answer scores the [CLS] start + end logits, its minimum over the windows;
/// the answer is "" when null score − best span score exceeds the threshold.
/// Where no span fits at all, the prediction is "" (transformers substitutes the literal text "empty").
/// Ties keep a fixed order: lower token index first among equal logits, then window, start and end order among equal
/// scores, and a span before the null answer. The job's <see cref="QuestionAnsweringOptions"/> come through as they are;
/// the null answer competes when <see cref="QuestionAnsweringOptions.VersionTwoWithNegative"/> is true.
/// </summary>
public static class AnswerDecoder
{
    private static readonly QuestionAnsweringOptions Defaults = new();

    public static DecodedAnswer Decode(string context, IReadOnlyList<AnswerWindow> windows, QuestionAnsweringOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(windows);
        options ??= Defaults;
        Validate(options);
        var allowNoAnswer = options.VersionTwoWithNegative == true;
        if (windows.Count == 0)
        {
            throw new ArgumentException("Answer decoding: the question has no windows.", nameof(windows));
        }

        var spans = new List<AnswerCandidate>();
        AnswerCandidate? nullAnswer = null;
        for (var w = 0; w < windows.Count; w++)
        {
            var window = windows[w];
            Validate(context, window, w);

            // The null answer of the whole question is its least confident window's [CLS] score.
            var nullScore = (double)window.StartLogits[0] + window.EndLogits[0];
            if (nullAnswer is null || nullAnswer.Score > nullScore)
            {
                nullAnswer = new AnswerCandidate("", 0, 0, window.StartLogits[0], window.EndLogits[0], nullScore, 0, IsNoAnswer: true);
            }

            spans.AddRange(SpansIn(context, window, options));
        }

        var ranked = spans.OrderByDescending(candidate => candidate.Score).ToList();
        if (allowNoAnswer)
        {
            ranked = ranked.Append(nullAnswer!).OrderByDescending(candidate => candidate.Score).ToList();
        }

        var nBest = ranked.Take(options.NBestSize).ToList();
        if (allowNoAnswer && !nBest.Contains(nullAnswer!))
        {
            nBest.Add(nullAnswer!);
        }

        nBest = WithProbabilities(nBest);
        var bestSpan = nBest.FirstOrDefault(candidate => !candidate.IsNoAnswer && candidate.Text.Length > 0);
        if (!allowNoAnswer)
        {
            return new DecodedAnswer(nBest.FirstOrDefault()?.Text ?? "", nBest, null);
        }

        if (bestSpan is null)
        {
            return new DecodedAnswer("", nBest, double.PositiveInfinity);
        }

        var difference = nullAnswer!.Score - bestSpan.StartLogit - bestSpan.EndLogit;
        var prediction = difference > options.NullScoreDiffThreshold ? "" : bestSpan.Text;
        return new DecodedAnswer(prediction, nBest, difference);
    }

    private static void Validate(QuestionAnsweringOptions options)
    {
        if (options.NBestSize < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.NBestSize, "n-best size must be at least 1.");
        if (options.MaxAnswerLength < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxAnswerLength, "Maximum answer length must be at least 1 token.");
        if (!double.IsFinite(options.NullScoreDiffThreshold))
            throw new ArgumentOutOfRangeException(nameof(options), options.NullScoreDiffThreshold, "The threshold must be finite.");
    }

    private static IEnumerable<AnswerCandidate> SpansIn(string context, AnswerWindow window, QuestionAnsweringOptions options)
    {
        var offsets = window.ContextOffsets;
        foreach (var start in TopIndices(window.StartLogits, options.NBestSize))
        {
            foreach (var end in TopIndices(window.EndLogits, options.NBestSize))
            {
                if (offsets[start] is not { } startRange || offsets[end] is not { } endRange)
                {
                    continue;
                }

                if (end < start || end - start + 1 > options.MaxAnswerLength)
                {
                    continue;
                }

                var from = startRange.Start.Value;
                var to = endRange.End.Value;
                yield return new AnswerCandidate(
                    to > from ? context[from..to] : "",
                    from,
                    to,
                    window.StartLogits[start],
                    window.EndLogits[end],
                    (double)window.StartLogits[start] + window.EndLogits[end],
                    0,
                    IsNoAnswer: false);
            }
        }
    }

    /// <summary>Indices of the <paramref name="count"/> largest logits, largest first, lower index first on ties.</summary>
    private static IEnumerable<int> TopIndices(IReadOnlyList<float> logits, int count) =>
        Enumerable.Range(0, logits.Count).OrderByDescending(i => logits[i]).Take(count);

    /// <summary>Softmax of the candidates' scores, shifted by the maximum for stability.</summary>
    private static List<AnswerCandidate> WithProbabilities(List<AnswerCandidate> candidates)
    {
        if (candidates.Count == 0)
        {
            return candidates;
        }

        var max = candidates.Max(candidate => candidate.Score);
        var exponentials = candidates.Select(candidate => Math.Exp(candidate.Score - max)).ToList();
        var sum = exponentials.Sum();
        return candidates.Select((candidate, i) => candidate with { Probability = exponentials[i] / sum }).ToList();
    }

    private static void Validate(string context, AnswerWindow window, int index)
    {
        ArgumentNullException.ThrowIfNull(window);
        var length = window.ContextOffsets.Count;
        if (length == 0 || window.StartLogits.Count != length || window.EndLogits.Count != length)
        {
            throw new ArgumentException(
                $"Answer decoding, window {index}: {window.StartLogits.Count} start logits, {window.EndLogits.Count} end logits and " +
                $"{length} token offsets; expected the same non-zero count for all three.");
        }

        for (var token = 0; token < length; token++)
        {
            if (window.ContextOffsets[token] is not { } range)
            {
                continue;
            }

            if (range.Start.IsFromEnd || range.End.IsFromEnd
                || range.Start.Value > range.End.Value || range.End.Value > context.Length)
            {
                throw new ArgumentException(
                    $"Answer decoding, window {index}, token {token}: offsets {range} do not lie within the context of {context.Length} characters.");
            }
        }
    }
}
