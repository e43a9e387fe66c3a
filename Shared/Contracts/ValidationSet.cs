namespace BertPlatform.Shared.Contracts;

/// <summary>
/// One of a job's named validation datasets (the XNLI protocol: train on one language, evaluate on many). Every
/// evaluation scores each; the metrics are reported as <c>{name}/{metric}</c>.
/// </summary>
public sealed record ValidationSet
{
    /// <summary>Letters, digits, '.', '_' and '-', up to 40 characters: it prefixes metric names.</summary>
    public string Name { get; init; } = "";

    /// <summary>Id of a ready dataset of the job's task.</summary>
    public string Dataset { get; init; } = "";
}
