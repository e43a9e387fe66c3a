namespace BertPlatform.GpuRunner.Checkpoints;

/// <summary>
/// What loading a checkpoint left out, as transformers reports it: model weights the file lacked (kept at their
/// fresh initialisation) and file tensors the model has no place for (ignored).
/// </summary>
public sealed record LoadReport(IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys)
{
    public override string ToString() =>
        $"missing: [{string.Join(", ", MissingKeys)}]; unexpected: [{string.Join(", ", UnexpectedKeys)}]";
}
