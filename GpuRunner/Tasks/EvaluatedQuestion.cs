using BertPlatform.Shared.Datasets;

namespace BertPlatform.GpuRunner.Tasks;

/// <summary>
/// The question an evaluation window belongs to, with its language (the dataset's tag, else detected): its windows'
/// answers are decoded together and scored against its gold answers, in its language's group as well as overall.
/// </summary>
public sealed record EvaluatedQuestion(QuestionAnsweringExample Example, string Language);
