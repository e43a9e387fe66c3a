using BertPlatform.Shared.Contracts;

namespace BertPlatform.GpuRunner.Tasks;

/// <summary>
/// The one list of tasks the runner trains and predicts (its data side is listed in Shared's <c>TaskCatalog</c>;
/// a test checks that every <see cref="TaskType"/> has both).
/// </summary>
public static class TaskDefinitions
{
    public static IReadOnlyList<ITaskDefinition> All { get; } =
    [
        new TextClassificationDefinition(),
        new TokenClassificationDefinition(),
        new QuestionAnsweringDefinition(),
        new MultipleChoiceDefinition(),
        new PretrainingDefinition(),
    ];

    public static ITaskDefinition For(TaskType task) =>
        All.FirstOrDefault(t => t.Data.Task == task) ?? throw new ArgumentOutOfRangeException(nameof(task), task, "No task is registered under this type.");

    /// <summary>The task whose models load as <paramref name="architecture"/>, or null when no task uses that head.</summary>
    public static ITaskDefinition? ForArchitecture(string architecture) =>
        All.FirstOrDefault(t => t.Architectures.Contains(architecture, StringComparer.Ordinal));
}
