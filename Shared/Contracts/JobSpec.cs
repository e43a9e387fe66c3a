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

    /// <summary>
    /// Several named validation datasets instead of <see cref="ValidationDataset"/> (every fine-tuning task; pre-training
    /// evaluates on documents held out of its corpus): each is
    /// evaluated at every evaluation and reported; the checkpoint is chosen on <see cref="SelectOn"/>.
    /// </summary>
    public IReadOnlyList<ValidationSet>? ValidationSets { get; init; }

    /// <summary>Name of the validation set whose metrics pick the published checkpoint; the first set when null.</summary>
    public string? SelectOn { get; init; }

    /// <summary>The validation set that ranks checkpoints, or null for a job without <see cref="ValidationSets"/>.</summary>
    public ValidationSet? SelectionSet() =>
        ValidationSets is not { Count: > 0 } sets ? null : sets.FirstOrDefault(s => s.Name == SelectOn) ?? sets[0];

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
