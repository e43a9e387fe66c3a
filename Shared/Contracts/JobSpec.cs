namespace BertPlatform.Shared.Contracts;

/// <summary>What a client asks to train: the body of <c>POST /api/jobs</c>.</summary>
public sealed record JobSpec
{
    public TaskType Task { get; init; } = TaskType.TextClassification;

    /// <summary>Name of a base model under <c>models/base/{name}/</c>, or <c>model:{id}</c> for a model this platform trained.</summary>
    public string BaseModel { get; init; } = "bert-base-multilingual-cased";

    /// <summary>Id of the training dataset.</summary>
    public string TrainingDataset { get; init; } = "";

    /// <summary>Id of the validation dataset; without one a seeded hold-out split of the training data is used.</summary>
    public string? ValidationDataset { get; init; }

    public ColumnMapping Columns { get; init; } = ColumnMapping.Default;

    public Hyperparameters Hyperparameters { get; init; } = Hyperparameters.Default;

    /// <summary>Text classification only; single-label unless given.</summary>
    public ProblemType? ProblemType { get; init; }

    /// <summary>Token classification only.</summary>
    public TokenClassificationOptions TokenClassification { get; init; } = new();

    /// <summary>Question answering only.</summary>
    public QuestionAnsweringOptions QuestionAnswering { get; init; } = new();

    /// <summary>Pre-training only.</summary>
    public PretrainingOptions Pretraining { get; init; } = new();
}
