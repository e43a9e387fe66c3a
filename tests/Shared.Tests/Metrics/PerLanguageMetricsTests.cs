using BertPlatform.Shared.Metrics;

namespace BertPlatform.Shared.Tests.Metrics;

public sealed class PerLanguageMetricsTests
{
    // 10 examples in three languages: en 3 of 4 right, de 1 of 3, sw 3 of 3.
    private static readonly string[] languages = ["en", "de", "en", "sw", "de", "en", "sw", "de", "en", "sw"];
    private static readonly int[] references =   [0, 1, 1, 0, 1, 0, 2, 2, 1, 1];
    private static readonly int[] predictions =  [0, 0, 1, 0, 1, 1, 2, 0, 1, 1];

    private static Dictionary<string, double> Scores() => MetricBreakdown.ByLanguage(languages,
        indices => SingleLabelClassificationMetrics.Compute(indices.Select(i => references[i]).ToArray(), indices.Select(i => predictions[i]).ToArray()));

    [Fact]
    public void Per_language_counts_sum_to_the_whole_and_accuracy_is_their_count_weighted_mean()
    {
        var table = MetricBreakdown.LanguageTable(Scores());
        var overall = SingleLabelClassificationMetrics.Compute(references, predictions)[MetricNames.Accuracy];

        Assert.Equal(["de", "en", "sw"], table.Keys);
        Assert.Equal(references.Length, table.Values.Sum(row => row[MetricBreakdown.Count]));
        Assert.Equal(overall, table.Values.Sum(row => row[MetricBreakdown.Count] * row[MetricNames.Accuracy]) / references.Length, 12);
        Assert.Equal(0.7, overall, 12);
        Assert.Equal((3.0, 1.0 / 3), (table["de"][MetricBreakdown.Count], table["de"][MetricNames.Accuracy]));
        Assert.Equal((4.0, 0.75), (table["en"][MetricBreakdown.Count], table["en"][MetricNames.Accuracy]));
        Assert.Equal((3.0, 1.0), (table["sw"][MetricBreakdown.Count], table["sw"][MetricNames.Accuracy]));
    }

    [Fact]
    public void Examples_without_a_language_give_no_breakdown()
    {
        string?[] partly = ["en", null, "de"];
        Assert.Empty(MetricBreakdown.ByLanguage(partly, _ => throw new InvalidOperationException("nothing is scored per language")));
    }

    [Fact]
    public void Breakdowns_stay_apart_from_the_overall_metrics_of_a_flat_dictionary()
    {
        var flat = new Dictionary<string, double>(Scores()) { [MetricNames.Accuracy] = 0.7, ["xnli-de/accuracy"] = 0.5, ["xnli-de/lang/de/count"] = 3 };
        Assert.Equal([MetricNames.Accuracy], MetricBreakdown.Overall(flat).Keys);
        Assert.Equal(["accuracy"], MetricBreakdown.Overall(flat, "xnli-de/").Keys);
        Assert.Equal(["de"], MetricBreakdown.LanguageTable(flat, "xnli-de/").Keys);
        Assert.Equal("de 0.3333 (n 3), en 0.75 (n 4), sw 1 (n 3)", MetricBreakdown.DescribeLanguages(MetricBreakdown.LanguageTable(flat), MetricNames.Accuracy));
    }
}
