using BertPlatform.Shared.Tasks;
using BertPlatform.Shared.Metrics;

namespace BertPlatform.Shared.Tests.Metrics;

public class SquadMetricsTests
{
    [Theory]
    [InlineData("The  Quick, brown fox!", "quick brown fox")]
    [InlineData("an apple a day", "apple day")]
    [InlineData("the-end", "theend")]        // punctuation goes first, so the article survives inside a word
    [InlineData("Theatre", "theatre")]        // "the" only as a whole word
    [InlineData("A", "")]
    [InlineData("  Denver\tBroncos\n", "denver broncos")]
    public void Normalization_follows_the_official_script(string text, string expected)
    {
        Assert.Equal(expected, SquadAnswerNormalizer.Normalize(text));
    }

    [Fact]
    public void Token_f1_hand_checked()
    {
        // Gold tokens cat sat on mat (4), predicted cat on mat (3): 3 shared, P = 1, R = 3/4, F1 = 1.5/1.75 = 6/7.
        Assert.Equal(6.0 / 7, SquadMetrics.F1("the cat sat on the mat", "cat on a mat"), 12);
        Assert.Equal(0.0, SquadMetrics.ExactMatch("the cat sat on the mat", "cat on a mat"));
        // Repeated tokens count as a multiset: gold x y y, predicted y y y z share min(2,3) = 2 y's:
        // P = 2/4, R = 2/3, F1 = 2*(1/3)/(7/6) = 4/7.
        Assert.Equal(4.0 / 7, SquadMetrics.F1("x y y", "y y y z"), 12);
        Assert.Equal(0.0, SquadMetrics.F1("denver", "broncos"));
    }

    [Fact]
    public void Empty_answers_score_one_only_against_each_other()
    {
        Assert.Equal(1.0, SquadMetrics.F1("", ""));
        Assert.Equal(1.0, SquadMetrics.ExactMatch("", ""));
        Assert.Equal(0.0, SquadMetrics.F1("Broncos", ""));
        Assert.Equal(0.0, SquadMetrics.F1("", "Broncos"));
        // "the" normalises to nothing, like an empty answer.
        Assert.Equal(1.0, SquadMetrics.F1("the", ""));
    }

    [Fact]
    public void Gold_answers_that_normalise_to_nothing_are_dropped()
    {
        Assert.Equal(["Broncos"], SquadMetrics.ScoredGoldAnswers(new SquadReference("q", ["the", "Broncos"])));
        Assert.Equal([""], SquadMetrics.ScoredGoldAnswers(new SquadReference("q", ["a"])));
        Assert.Equal([""], SquadMetrics.ScoredGoldAnswers(new SquadReference("q", [])));
    }

    [Fact]
    public void Best_gold_answer_counts_and_v1_has_no_no_answer_breakdown()
    {
        SquadReference[] references = [new("q1", ["Denver Broncos", "Broncos"])];
        var metrics = SquadMetrics.Compute(references, new Dictionary<string, string> { ["q1"] = "the Broncos" });

        // "the Broncos" -> "broncos" equals the second gold answer exactly.
        Assert.Equal(100.0, metrics[MetricNames.Exact]);
        Assert.Equal(100.0, metrics[MetricNames.F1]);
        Assert.Equal(100.0, metrics["HasAns_f1"]);
        Assert.False(metrics.ContainsKey("NoAns_f1"));
        Assert.False(metrics.ContainsKey(MetricNames.BestF1));
        Assert.Contains(TaskCatalog.QuestionAnswering.PrimaryMetric(null), metrics.Keys);
    }

    private static readonly SquadReference[] V2References =
    [
        new("q1", ["Broncos"]),
        new("q2", ["the cat sat on the mat"]),
        new("q3", []),
        new("q4", []),
    ];

    private static readonly Dictionary<string, string> V2Predictions = new()
    {
        ["q1"] = "Broncos",       // exact 1, F1 1
        ["q2"] = "cat on a mat",  // exact 0, F1 6/7
        ["q3"] = "",              // unanswerable, abstained: 1, 1
        ["q4"] = "Paris",         // unanswerable, answered: 0, 0
    };

    [Fact]
    public void V2_scores_with_has_answer_and_no_answer_breakdown()
    {
        var metrics = SquadMetrics.Compute(V2References, V2Predictions);

        // exact (1+0+1+0)/4 = 50; F1 (1 + 6/7 + 1 + 0)/4 = 71.428571...
        Assert.Equal(50.0, metrics[MetricNames.Exact], 9);
        Assert.Equal(71.42857142857143, metrics[MetricNames.F1], 9);
        Assert.Equal(4.0, metrics[MetricNames.Total]);
        // HasAns: (1 + 6/7)/2 = 92.857142...; exact 50.
        Assert.Equal(50.0, metrics["HasAns_exact"], 9);
        Assert.Equal(92.85714285714286, metrics["HasAns_f1"], 9);
        Assert.Equal(2.0, metrics["HasAns_total"]);
        // NoAns: q3 right, q4 wrong.
        Assert.Equal(50.0, metrics["NoAns_exact"], 9);
        Assert.Equal(50.0, metrics["NoAns_f1"], 9);
        Assert.Equal(2.0, metrics["NoAns_total"]);
    }

    [Fact]
    public void Best_threshold_search_follows_find_best_thresh()
    {
        var noAnswerScores = new Dictionary<string, double> { ["q1"] = -3, ["q2"] = 1, ["q3"] = 2, ["q4"] = 1.5 };

        var metrics = SquadMetrics.Compute(V2References, V2Predictions, noAnswerScores);

        // Start at 2 (both unanswerable right by abstaining). In score order:
        // q1 (-3) answers +1 -> 3; q2 (1) +F1 6/7 -> 3.857 (exact +0 -> 3); q4 (1.5) answers "Paris" -1; q3 (2) "" +0.
        // F1 peaks at 3 + 6/7 after q2: 100 * 3.857142857/4 = 96.428571..., threshold 1.
        Assert.Equal(96.42857142857143, metrics[MetricNames.BestF1], 9);
        Assert.Equal(1.0, metrics[MetricNames.BestF1Threshold]);
        // Exact peaks first at 3 after q1 (later equal totals do not replace it): 75, threshold -3.
        Assert.Equal(75.0, metrics[MetricNames.BestExact], 9);
        Assert.Equal(-3.0, metrics[MetricNames.BestExactThreshold]);
        // The reported scores are not re-thresholded.
        Assert.Equal(71.42857142857143, metrics[MetricNames.F1], 9);
    }

    [Fact]
    public void Best_threshold_is_zero_when_abstaining_everywhere_is_best()
    {
        SquadReference[] references = [new("a", []), new("b", [])];
        var predictions = new Dictionary<string, string> { ["a"] = "x", ["b"] = "y" };
        var scores = new Dictionary<string, double> { ["a"] = 0.2, ["b"] = 0.7 };

        var metrics = SquadMetrics.Compute(references, predictions, scores);

        // Start 2; each answers wrongly (-1 each), never above 2: best 100, threshold 0.
        Assert.Equal(100.0, metrics[MetricNames.BestF1]);
        Assert.Equal(0.0, metrics[MetricNames.BestF1Threshold]);
        Assert.Equal(0.0, metrics[MetricNames.F1]);
    }

    [Fact]
    public void Missing_predictions_and_scores_are_named()
    {
        var prediction = Assert.Throws<ArgumentException>(() =>
            SquadMetrics.Compute(V2References, new Dictionary<string, string> { ["q1"] = "x" }));
        Assert.Contains("'q2'", prediction.Message);
        var score = Assert.Throws<ArgumentException>(() =>
            SquadMetrics.Compute(V2References, V2Predictions, new Dictionary<string, double> { ["q1"] = 0 }));
        Assert.Contains("'q2'", score.Message);
        var duplicate = Assert.Throws<ArgumentException>(() =>
            SquadMetrics.Compute([new("q1", ["a"]), new("q1", ["b"])], V2Predictions));
        Assert.Contains("twice", duplicate.Message);
    }
}
