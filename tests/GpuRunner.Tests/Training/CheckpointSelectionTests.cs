using BertPlatform.GpuRunner.Training;

namespace BertPlatform.GpuRunner.Tests.Training;

public sealed class CheckpointSelectionTests
{
    private static Dictionary<string, double> Evaluation(double accuracy, double loss) => new() { ["accuracy"] = accuracy, ["eval_loss"] = loss };

    [Fact]
    public void A_tie_in_the_selection_metric_goes_to_the_lower_loss()
    {
        var selection = new CheckpointSelection("accuracy");
        Assert.True(selection.IsBetter(Evaluation(0.0695, 6.491), Evaluation(0.0695, 6.965)));
        Assert.False(selection.IsBetter(Evaluation(0.0695, 6.965), Evaluation(0.0695, 6.491)));
        Assert.False(selection.IsBetter(Evaluation(0.0695, 6.491), Evaluation(0.0695, 6.491)));
    }

    [Fact]
    public void The_selection_metric_decides_before_the_loss()
    {
        var selection = new CheckpointSelection("accuracy");
        Assert.True(selection.IsBetter(Evaluation(0.8, 2.0), Evaluation(0.7, 0.5)));
        Assert.False(selection.IsBetter(Evaluation(0.7, 0.5), Evaluation(0.8, 2.0)));
        Assert.True(selection.IsBetter(Evaluation(0.1, 9.0), null));
    }

    [Theory]
    [InlineData("mlm_loss", true)]
    [InlineData("eval_loss", true)]
    [InlineData("perplexity", true)]
    [InlineData("mse", true)]
    [InlineData("mlm_accuracy", false)]
    [InlineData("f1", false)]
    public void Losses_perplexity_and_squared_error_are_better_lower(string metric, bool lowerIsBetter)
    {
        var selection = new CheckpointSelection(metric);
        Assert.Equal(lowerIsBetter, selection.LowerIsBetter);
        Assert.Contains(lowerIsBetter ? "lowest" : "highest", selection.Describe());
    }

    [Fact]
    public void A_metric_the_task_does_not_compute_is_named_in_the_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new CheckpointSelection("bleu").IsBetter(Evaluation(0.5, 1), null));
        Assert.Contains("'bleu'", error.Message);
        Assert.Contains("accuracy", error.Message);
    }
}
