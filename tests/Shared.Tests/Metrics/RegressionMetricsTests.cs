using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Tasks;
using BertPlatform.Shared.Metrics;

namespace BertPlatform.Shared.Tests.Metrics;

public class RegressionMetricsTests
{
    private static readonly double[] References = [1, 2, 3, 4, 5];
    private static readonly double[] Predictions = [2, 4, 5, 4, 5];

    [Fact]
    public void Pearson_hand_checked()
    {
        // Means 3 and 4; deviations (-2,-1,0,1,2) and (-2,0,1,0,1): cov 6, Sxx 10, Syy 6 -> 6/sqrt(60) = 0.7745966692414834.
        Assert.Equal(0.7745966692414834, RegressionMetrics.Pearson(References, Predictions), 12);
    }

    [Fact]
    public void Spearman_uses_average_ranks_for_ties()
    {
        // Ranks of (2,4,5,4,5) = (1,2.5,4.5,2.5,4.5), mean 3: deviations (-2,-0.5,1.5,-0.5,1.5) against (-2,-1,0,1,2):
        // cov = 4+0.5+0-0.5+3 = 7, Syy = 4+0.25+2.25+0.25+2.25 = 9, Sxx = 10 -> 7/sqrt(90) = 0.7378647873726218.
        Assert.Equal(0.7378647873726218, RegressionMetrics.Spearman(References, Predictions), 12);
    }

    [Fact]
    public void Average_ranks_match_scipy_rankdata()
    {
        // scipy.stats.rankdata([10, 20, 20, 5]) = [2, 3.5, 3.5, 1].
        Assert.Equal([2.0, 3.5, 3.5, 1.0], AverageRanks.Compute([10, 20, 20, 5]));
        // Three-way tie over ranks 1..3 -> 2 each.
        Assert.Equal([2.0, 2.0, 2.0, 4.0], AverageRanks.Compute([7, 7, 7, 9]));
    }

    [Fact]
    public void Mean_squared_error_hand_checked()
    {
        // Errors 1,2,2,0,0 -> (1+4+4)/5 = 1.8.
        Assert.Equal(1.8, RegressionMetrics.MeanSquaredError(References, Predictions), 12);
    }

    [Fact]
    public void Perfect_inverse_and_monotone_cases()
    {
        Assert.Equal(1.0, RegressionMetrics.Pearson(References, References), 12);
        Assert.Equal(-1.0, RegressionMetrics.Pearson(References, [10, 8, 6, 4, 2]), 12);
        // Monotone but not linear: Spearman 1, Pearson below 1.
        double[] cubes = [1, 8, 27, 64, 125];
        Assert.Equal(1.0, RegressionMetrics.Spearman(References, cubes), 12);
        Assert.True(RegressionMetrics.Pearson(References, cubes) < 0.99);
        Assert.Equal(0.0, RegressionMetrics.MeanSquaredError(References, References));
    }

    [Fact]
    public void Correlation_with_a_constant_side_is_zero_not_nan()
    {
        Assert.Equal(0.0, RegressionMetrics.Pearson(References, [3, 3, 3, 3, 3]));
        Assert.Equal(0.0, RegressionMetrics.Spearman([3, 3, 3, 3, 3], Predictions));
    }

    [Fact]
    public void Compute_reports_pearson_as_primary()
    {
        var metrics = RegressionMetrics.Compute(References, Predictions);
        Assert.Equal(0.7745966692414834, metrics[TaskCatalog.TextClassification.PrimaryMetric(ProblemType.Regression)], 12);
        Assert.Equal(1.8, metrics[MetricNames.MeanSquaredError], 12);
    }

    [Fact]
    public void Non_finite_values_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => RegressionMetrics.Pearson([1, 2], [1, double.NaN]));
        Assert.Contains("Example 1", error.Message);
    }
}
