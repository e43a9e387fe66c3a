namespace BertPlatform.Shared.Metrics;

/// <summary>
/// The official v2.0 script's <c>find_best_thresh</c>: start from answering nothing (each unanswerable question
/// earns 1), then walk the questions by ascending no-answer score, letting each one answer: an answerable one adds its
/// score, an unanswerable one loses its point if its prediction is not empty. The threshold is the no-answer score at
/// which the running total peaked first (0 when answering nothing is best). Returns the best score on 0–100.
/// </summary>
public static class SquadNoAnswerThreshold
{
    public static (double BestScore, double Threshold) FindBest(
        IReadOnlyList<SquadQuestionScore> scores,
        Func<SquadQuestionScore, double> scoreOf,
        IReadOnlyDictionary<string, double> noAnswerScores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(noAnswerScores);
        foreach (var score in scores)
        {
            if (!noAnswerScores.ContainsKey(score.Reference.Id))
            {
                throw new ArgumentException($"SQuAD threshold search: no no-answer score for question '{score.Reference.Id}'.");
            }
        }

        double current = scores.Count(score => !score.Reference.HasAnswer);
        var best = current;
        var threshold = 0.0;

        // OrderBy is stable, so ties keep the reference order, as Python's sorted does.
        foreach (var score in scores.OrderBy(score => noAnswerScores[score.Reference.Id]))
        {
            current += score.Reference.HasAnswer
                ? scoreOf(score)
                : score.Prediction.Length > 0 ? -1.0 : 0.0;
            if (current > best)
            {
                best = current;
                threshold = noAnswerScores[score.Reference.Id];
            }
        }

        return (100.0 * best / scores.Count, threshold);
    }
}
