using BertPlatform.GpuRunner.Tasks;

namespace BertPlatform.GpuRunner.Tests.Training;

public class LabelSpaceAndSplitTests
{
    [Fact]
    public void Numeric_labels_keep_numeric_order_and_names_ordinal_order()
    {
        Assert.Equal(["2", "10", "11"], new LabelSpace(["10", "2", "11", "2"]).Names);
        Assert.Equal(["negative", "neutral", "positive"], new LabelSpace(["positive", "negative", "neutral"]).Names);
    }

    [Fact]
    public void An_unknown_label_names_the_row_and_the_known_labels()
    {
        var error = Assert.Throws<InvalidDataException>(() => new LabelSpace(["a", "b"]).IdOf("c", "row 7"));
        Assert.Contains("row 7", error.Message);
        Assert.Contains("'c'", error.Message);
        Assert.Contains("a, b", error.Message);
    }

    [Fact]
    public void Hold_out_split_is_seeded_disjoint_and_complete()
    {
        var items = Enumerable.Range(0, 100).ToArray();
        var (train, validation) = HoldOutSplit.Split(items, 0.1, 42);
        Assert.Equal(10, validation.Count);
        Assert.Equal(items, train.Concat(validation).Order());
        Assert.Equal(validation, HoldOutSplit.Split(items, 0.1, 42).Validation);
        Assert.NotEqual(validation, HoldOutSplit.Split(items, 0.1, 43).Validation);
    }
}
