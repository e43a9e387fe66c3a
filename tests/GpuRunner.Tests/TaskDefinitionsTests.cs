using BertPlatform.GpuRunner.Modeling;
using BertPlatform.GpuRunner.Tasks;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Tasks;

namespace BertPlatform.GpuRunner.Tests;

/// <summary>A task is defined twice over (data side in Shared, model side in the runner): each list must hold every task once.</summary>
public class TaskDefinitionsTests
{
    public static TheoryData<TaskType> Tasks => new(Enum.GetValues<TaskType>());

    [Theory]
    [MemberData(nameof(Tasks))]
    public void Every_task_has_one_data_definition_and_one_runner_definition_over_it(TaskType task)
    {
        var data = Assert.Single(TaskCatalog.All, t => t.Task == task);
        var runner = Assert.Single(TaskDefinitions.All, t => t.Data.Task == task);
        Assert.Same(data, runner.Data);
        Assert.NotEmpty(data.Formats);
        Assert.Equal(data.Formats.Count, data.Formats.Distinct().Count());
    }

    [Fact]
    public void Every_architecture_is_a_known_head_and_belongs_to_one_task()
    {
        var architectures = TaskDefinitions.All.SelectMany(t => t.Architectures).ToList();
        Assert.All(architectures, a => Assert.Contains(a, BertModels.Architectures));
        Assert.Equal(architectures.Count, architectures.Distinct(StringComparer.Ordinal).Count());
        Assert.Same(TaskDefinitions.For(TaskType.Pretraining), TaskDefinitions.ForArchitecture("BertForMaskedLM"));
        Assert.Null(TaskDefinitions.ForArchitecture("BertForNextSentencePrediction"));
    }
}
