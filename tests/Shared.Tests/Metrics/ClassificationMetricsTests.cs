using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Tasks;
using BertPlatform.Shared.Metrics;

namespace BertPlatform.Shared.Tests.Metrics;

public class ClassificationMetricsTests
{
    // references [0,0,1,1,2,2], predictions [0,1,1,1,2,0]; confusion (rows true, columns predicted):
    //   [1 1 0]
    //   [0 2 0]
    //   [1 0 1]
    private static readonly int[] References = [0, 0, 1, 1, 2, 2];
    private static readonly int[] Predictions = [0, 1, 1, 1, 2, 0];

    [Fact]
    public void Confusion_matrix_has_true_classes_as_rows()
    {
        var matrix = ConfusionMatrix.Build(References, Predictions);

        Assert.Equal(3, matrix.ClassCount);
        long[,] expected = { { 1, 1, 0 }, { 0, 2, 0 }, { 1, 0, 1 } };
        for (var t = 0; t < 3; t++)
        {
            for (var p = 0; p < 3; p++)
            {
                Assert.Equal(expected[t, p], matrix[t, p]);
            }
        }

        Assert.Equal(new LabelCounts(1, 1, 1), matrix.CountsFor(0));
        Assert.Equal(new LabelCounts(2, 1, 0), matrix.CountsFor(1));
        Assert.Equal(new LabelCounts(1, 0, 1), matrix.CountsFor(2));
    }

    [Fact]
    public void Hand_checked_three_class_case()
    {
        var metrics = SingleLabelClassificationMetrics.Compute(References, Predictions);

        // 4 of 6 on the diagonal.
        Assert.Equal(4.0 / 6, metrics[MetricNames.Accuracy], 12);
        // F1 per class: c0 P=1/2 R=1/2 -> 0.5; c1 P=2/3 R=1 -> 0.8; c2 P=1 R=1/2 -> 2/3; mean = 1.966667/3 = 0.655556.
        Assert.Equal((0.5 + 0.8 + 2.0 / 3) / 3, metrics[MetricNames.F1Macro], 12);
        Assert.Equal(0.6555555555555556, metrics[MetricNames.F1Macro], 12);
        // Micro: TP 4, FP 2, FN 2 -> P = R = 4/6, equal to accuracy.
        Assert.Equal(4.0 / 6, metrics[MetricNames.F1Micro], 12);
        // MCC: s=6, c=4, t=[2,2,2], p=[2,3,1]; cov = 4*6 - (4+6+2) = 12; s²-Σp² = 36-14 = 22; s²-Σt² = 36-12 = 24;
        // 12 / sqrt(24*22) = 0.5222329678670935.
        Assert.Equal(0.5222329678670935, metrics[MetricNames.MatthewsCorrelation], 12);
        Assert.Contains(TaskCatalog.TextClassification.PrimaryMetric(ProblemType.SingleLabelClassification), metrics.Keys);
    }

    [Fact]
    public void Binary_mcc_matches_the_sklearn_documentation_example()
    {
        // sklearn docs: y_true=[+1,+1,+1,-1], y_pred=[+1,-1,+1,+1] -> -0.33...
        // s=4, c=2, t=[1,3], p=[1,3]: cov = 8-10 = -2, both variances 16-10 = 6, MCC = -2/6.
        Assert.Equal(-1.0 / 3, MatthewsCorrelation.Compute([1, 1, 1, 0], [1, 0, 1, 1]), 12);
    }

    [Fact]
    public void Mcc_is_zero_when_all_predictions_fall_in_one_class()
    {
        // Σp² = s², so the predicted variance is 0 and sklearn returns 0.
        Assert.Equal(0.0, MatthewsCorrelation.Compute([0, 1, 2, 1], [1, 1, 1, 1]));
        Assert.Equal(0.0, MatthewsCorrelation.Compute([1, 1, 1], [1, 1, 1]));
    }

    [Fact]
    public void Perfect_and_worst_binary_predictions()
    {
        var perfect = SingleLabelClassificationMetrics.Compute([0, 1, 0, 1], [0, 1, 0, 1]);
        Assert.Equal(1.0, perfect[MetricNames.Accuracy]);
        Assert.Equal(1.0, perfect[MetricNames.F1Macro]);
        Assert.Equal(1.0, perfect[MetricNames.MatthewsCorrelation], 12);

        var worst = SingleLabelClassificationMetrics.Compute([0, 1, 0, 1], [1, 0, 1, 0]);
        Assert.Equal(0.0, worst[MetricNames.Accuracy]);
        Assert.Equal(0.0, worst[MetricNames.F1Macro]);
        // cov = 0*4 - (2*2+2*2) = -8, variances 16-8 = 8: -8/8 = -1.
        Assert.Equal(-1.0, worst[MetricNames.MatthewsCorrelation], 12);
    }

    [Fact]
    public void Macro_f1_averages_only_labels_seen_in_references_or_predictions()
    {
        // Labels {0, 2}: c0 TP1 FN1 -> P=1 R=1/2 F=2/3; c2 TP0 FP1 -> 0. Mean 1/3 (class 1, absent, is not a zero term).
        Assert.Equal(1.0 / 3, SingleLabelClassificationMetrics.MacroF1([0, 0], [0, 2]), 12);
    }

    [Fact]
    public void Mismatched_and_bad_inputs_are_rejected_with_the_reason()
    {
        var lengths = Assert.Throws<ArgumentException>(() => SingleLabelClassificationMetrics.Accuracy([0, 1], [0]));
        Assert.Contains("2 references but 1 predictions", lengths.Message);
        var negative = Assert.Throws<ArgumentException>(() => ConfusionMatrix.Build([0, -1], [0, 0]));
        Assert.Contains("Example 1", negative.Message);
        var outside = Assert.Throws<ArgumentException>(() => ConfusionMatrix.Build([0, 3], [0, 0], classCount: 2));
        Assert.Contains("outside the 2 classes", outside.Message);
        Assert.Throws<ArgumentException>(() => SingleLabelClassificationMetrics.Accuracy([], []));
    }

    [Fact]
    public void Multi_label_metrics_follow_sklearn_on_an_indicator_matrix()
    {
        bool[][] references = [[true, false, true], [false, true, false]];
        bool[][] predictions = [[true, false, false], [false, true, false]];

        var metrics = MultiLabelClassificationMetrics.Compute(references, predictions);

        // Row 0 misses label 2, row 1 is exact: 1/2.
        Assert.Equal(0.5, metrics[MetricNames.SubsetAccuracy]);
        // Summed: TP 2, FP 0, FN 1 -> P=1, R=2/3, F1 = 2*(2/3)/(5/3) = 0.8.
        Assert.Equal(0.8, metrics[MetricNames.F1Micro], 12);
        // Columns: F1 1, 1, 0 -> 2/3.
        Assert.Equal(2.0 / 3, metrics[MetricNames.F1Macro], 12);
        Assert.Contains(TaskCatalog.TextClassification.PrimaryMetric(ProblemType.MultiLabelClassification), metrics.Keys);
    }

    [Fact]
    public void Multi_label_macro_counts_a_never_positive_label_as_zero()
    {
        bool[][] both = [[true, false], [true, false]];

        // Column 1 has no true and no predicted positives: F1 is 0 under zero_division=0, so macro = (1+0)/2.
        Assert.Equal(0.5, MultiLabelClassificationMetrics.MacroF1(both, both));
        Assert.Equal(1.0, MultiLabelClassificationMetrics.MicroF1(both, both));
        Assert.Equal(1.0, MultiLabelClassificationMetrics.SubsetAccuracy(both, both));

        // Nothing positive anywhere: micro has TP+FP+FN = 0 and is 0, not NaN.
        bool[][] none = [[false, false]];
        Assert.Equal(0.0, MultiLabelClassificationMetrics.MicroF1(none, none));
    }

    [Fact]
    public void Multi_label_rows_of_different_widths_are_rejected()
    {
        bool[][] references = [[true, false], [true]];
        bool[][] predictions = [[true, false], [true, false]];
        var error = Assert.Throws<ArgumentException>(() => MultiLabelClassificationMetrics.SubsetAccuracy(references, predictions));
        Assert.Contains("example 1", error.Message);
    }

    [Fact]
    public void Multiple_choice_accuracy_counts_the_right_endings()
    {
        // 3 of 4 right.
        var metrics = MultipleChoiceMetrics.Compute([0, 3, 1, 2], [0, 3, 2, 2]);
        Assert.Equal(0.75, metrics[MetricNames.Accuracy]);
        Assert.Contains(TaskCatalog.MultipleChoice.PrimaryMetric(null), metrics.Keys);
    }
}
