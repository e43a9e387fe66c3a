namespace BertPlatform.Shared.Contracts;

/// <summary>
/// What travels on the job queue: only a pointer to the job record, which is the truth. A message is a wake-up
/// call for a runner; duplicates are harmless because claiming the record decides who trains.
/// </summary>
public sealed record JobMessage(string JobId, string Owner);
