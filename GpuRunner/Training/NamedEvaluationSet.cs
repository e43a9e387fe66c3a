namespace BertPlatform.GpuRunner.Training;

/// <summary>One of a job's named validation sets, encoded; its metrics are reported as <c>{Name}/{metric}</c>.</summary>
public sealed record NamedEvaluationSet<TFeature>(string Name, IReadOnlyList<TFeature> Features);
