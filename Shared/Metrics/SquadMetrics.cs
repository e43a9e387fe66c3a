namespace BertPlatform.Shared.Metrics;

/// <summary>
/// Exact match and token F1 as the official SQuAD v2.0 evaluation script computes them (v1.1 data gives the v1.1
/// numbers, every question being answerable), on a 0–100 scale like the published results.
/// Each question takes its best score over the gold answers; gold answers that normalise to nothing are dropped, and a
/// question left with none (unanswerable) is scored against the empty answer, so only an empty prediction scores there.
/// With <c>noAnswerScores</c> (higher means more likely unanswerable; the answer decoder's null-score difference)
/// it also searches the threshold that maximises each score, as the script does with a <c>--na-prob-file</c>.
/// Unlike the script, the reported exact/F1 are never re-thresholded: predictions arrive with the decoder's null
/// decision already applied.
/// </summary>
public static class SquadMetrics
{
    /// <summary>1 when the normalised answers are equal, else 0 (<c>compute_exact</c>).</summary>
    public static double ExactMatch(string gold, string prediction) =>
        SquadAnswerNormalizer.Normalize(gold) == SquadAnswerNormalizer.Normalize(prediction) ? 1.0 : 0.0;

    /// <summary>Harmonic mean of token precision and recall over the multiset of shared tokens (<c>compute_f1</c>).</summary>
    public static double F1(string gold, string prediction)
    {
        var goldTokens = SquadAnswerNormalizer.Tokens(gold);
        var predictedTokens = SquadAnswerNormalizer.Tokens(prediction);
        if (goldTokens.Count == 0 || predictedTokens.Count == 0)
        {
            // If either is no-answer, F1 is 1 when both are, else 0.
            return goldTokens.Count == predictedTokens.Count ? 1.0 : 0.0;
        }

        var remaining = goldTokens.GroupBy(token => token, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);
        var shared = 0;
        foreach (var token in predictedTokens)
        {
            if (remaining.TryGetValue(token, out var count) && count > 0)
            {
                remaining[token] = count - 1;
                shared++;
            }
        }

        if (shared == 0)
        {
            return 0.0;
        }

        var precision = (double)shared / predictedTokens.Count;
        var recall = (double)shared / goldTokens.Count;
        return 2 * precision * recall / (precision + recall);
    }

    /// <summary>The gold answers a prediction is compared with: those that normalise to something, or just "".</summary>
    public static IReadOnlyList<string> ScoredGoldAnswers(SquadReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var golds = reference.Answers.Where(answer => SquadAnswerNormalizer.Normalize(answer).Length > 0).ToList();
        return golds.Count > 0 ? golds : [""];
    }

    public static MetricSet Compute(
        IReadOnlyList<SquadReference> references,
        IReadOnlyDictionary<string, string> predictions,
        IReadOnlyDictionary<string, double>? noAnswerScores = null)
    {
        ArgumentNullException.ThrowIfNull(references);
        ArgumentNullException.ThrowIfNull(predictions);
        if (references.Count == 0)
        {
            throw new ArgumentException("SQuAD metrics: no questions to score.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var scores = new List<SquadQuestionScore>(references.Count);
        foreach (var reference in references)
        {
            if (!seen.Add(reference.Id))
            {
                throw new ArgumentException($"SQuAD metrics: question id '{reference.Id}' appears twice in the references.");
            }

            if (!predictions.TryGetValue(reference.Id, out var prediction))
            {
                throw new ArgumentException($"SQuAD metrics: no prediction for question '{reference.Id}'.");
            }

            var golds = ScoredGoldAnswers(reference);
            scores.Add(new SquadQuestionScore(
                reference,
                prediction,
                golds.Max(gold => ExactMatch(gold, prediction)),
                golds.Max(gold => F1(gold, prediction))));
        }

        var values = new Dictionary<string, double>();
        AddAverages(values, "", scores);
        var answerable = scores.Where(score => score.Reference.HasAnswer).ToList();
        var unanswerable = scores.Where(score => !score.Reference.HasAnswer).ToList();
        if (answerable.Count > 0)
        {
            AddAverages(values, MetricNames.HasAnswerPrefix, answerable);
        }

        if (unanswerable.Count > 0)
        {
            AddAverages(values, MetricNames.NoAnswerPrefix, unanswerable);
        }

        if (noAnswerScores is not null)
        {
            var (bestExact, exactThreshold) = SquadNoAnswerThreshold.FindBest(scores, score => score.Exact, noAnswerScores);
            var (bestF1, f1Threshold) = SquadNoAnswerThreshold.FindBest(scores, score => score.F1, noAnswerScores);
            values[MetricNames.BestExact] = bestExact;
            values[MetricNames.BestExactThreshold] = exactThreshold;
            values[MetricNames.BestF1] = bestF1;
            values[MetricNames.BestF1Threshold] = f1Threshold;
        }

        return new MetricSet(values);
    }

    private static void AddAverages(Dictionary<string, double> values, string prefix, IReadOnlyList<SquadQuestionScore> scores)
    {
        values[prefix + MetricNames.Exact] = 100.0 * scores.Sum(score => score.Exact) / scores.Count;
        values[prefix + MetricNames.F1] = 100.0 * scores.Sum(score => score.F1) / scores.Count;
        values[prefix + MetricNames.Total] = scores.Count;
    }
}
