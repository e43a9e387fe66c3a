using BertPlatform.GpuRunner.Modeling;
using BertPlatform.GpuRunner.Worker;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tests;

public sealed class WorkspaceBudgetTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("workspace-budget-").FullName;

    [Theory]
    [InlineData("tiny", 1000)]
    [InlineData("mini", 30_522)]
    public void The_weight_estimate_is_the_float32_size_of_the_parameters_a_pretraining_model_has(string size, int vocabulary)
    {
        using var scope = NewDisposeScope();
        var config = BertConfig.Preset(size, vocabulary);
        using var model = new BertForPreTraining(config);
        Assert.Equal(sizeof(float) * model.parameters().Sum(p => p.numel()), WorkspaceBudget.WeightBytesOf(config));
    }

    [Fact]
    public void An_mbert_job_peaks_at_its_base_model_data_and_four_copies_of_the_weights()
    {
        // mBERT's BertForPreTraining: 177,853,440 encoder parameters + the MLM transform, its LayerNorm, the decoder
        // bias over 119,547 tokens and NSP; a 0.71 GB base model and 100 MiB of data.
        var weights = WorkspaceBudget.WeightBytesOf(BertConfig.MultilingualBaseCased);
        Assert.Equal(4L * (177_853_440 + 768 * 768 + 768 + 2 * 768 + 119_547 + 2 * 768 + 2), weights);
        var budget = new WorkspaceBudget(BaseModelBytes: 714_290_682, DatasetBytes: 100 << 20, WeightBytes: weights);
        Assert.Equal(714_290_682 + (100 << 20) + 4 * weights, budget.PeakBytes);
        Assert.Equal("3.42 GiB", WorkspaceBudget.Format(budget.PeakBytes)); // 3,676,214,730 bytes
    }

    [Fact]
    public void A_job_over_the_budget_fails_naming_its_sizes_and_the_budget()
    {
        var budget = new WorkspaceBudget(BaseModelBytes: 3 << 20, DatasetBytes: 1 << 20, WeightBytes: 2 << 20);
        budget.EnsureFits(directory, budgetBytes: budget.PeakBytes);   // exactly enough

        var error = Assert.Throws<JobFailedException>(() => budget.EnsureFits(directory, budgetBytes: budget.PeakBytes - 1));
        Assert.Contains("needs about 12.0 MiB", error.Message);
        Assert.Contains("base model 3.0 MiB, datasets 1.0 MiB, checkpoints 4 x 2.0 MiB", error.Message);
        Assert.Contains("Runner__WorkspaceBudgetGiB", error.Message);
    }

    [Fact]
    public void Without_a_budget_the_free_space_of_the_work_directory_decides()
    {
        var free = new DriveInfo(directory).AvailableFreeSpace;
        new WorkspaceBudget(0, 0, WeightBytes: 1).EnsureFits(directory, budgetBytes: null);
        var error = Assert.Throws<JobFailedException>(() => new WorkspaceBudget(2 * free, 0, 0).EnsureFits(directory, budgetBytes: null));
        Assert.Contains($"is free under {directory}", error.Message);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
