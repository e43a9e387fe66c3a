using BertPlatform.Shared.Contracts;

namespace BertPlatform.Shared.Tasks;

/// <summary>
/// The one list of tasks (data side). A new task adds its definition here and to the runner's task list; a test
/// checks that every <see cref="TaskType"/> has both.
/// </summary>
public static class TaskCatalog
{
    public static TextClassificationData TextClassification { get; } = new();
    public static TokenClassificationData TokenClassification { get; } = new();
    public static QuestionAnsweringData QuestionAnswering { get; } = new();
    public static MultipleChoiceData MultipleChoice { get; } = new();
    public static PretrainingData Pretraining { get; } = new();

    public static IReadOnlyList<ITaskData> All { get; } = [TextClassification, TokenClassification, QuestionAnswering, MultipleChoice, Pretraining];

    public static ITaskData For(TaskType task) =>
        All.FirstOrDefault(t => t.Task == task) ?? throw new ArgumentOutOfRangeException(nameof(task), task, "No task is registered under this type.");
}
