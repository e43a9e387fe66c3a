using BertPlatform.Shared.Contracts;

namespace BertPlatform.Shared.Insight;

/// <summary>
/// The parts of a job that shape its report besides the data: the hyperparameters, how labels are read, how QA
/// contexts are windowed and, for pre-training, how many passes build instances.
/// </summary>
public sealed record PreflightSettings(
    TaskType Task,
    Hyperparameters Hyperparameters,
    ProblemType? ProblemType = null,
    QuestionAnsweringOptions? QuestionAnswering = null,
    PretrainingOptions? Pretraining = null)
{
    public QuestionAnsweringOptions Windowing => QuestionAnswering ?? new();

    public static PreflightSettings Of(JobSpec spec) =>
        new(spec.Task, spec.Hyperparameters, spec.ProblemType, spec.QuestionAnswering, spec.Pretraining);
}
