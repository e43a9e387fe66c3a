namespace BertPlatform.GpuRunner.Worker;

/// <summary>
/// A failure that another attempt cannot fix (missing base model or dataset, unsupported task, data the trainer
/// rejects): the job fails at once with this message instead of being retried.
/// </summary>
public sealed class JobFailedException(string message, Exception? inner = null) : Exception(message, inner);
