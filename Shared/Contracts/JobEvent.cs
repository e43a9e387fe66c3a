namespace BertPlatform.Shared.Contracts;

/// <summary>
/// One entry of a job's timeline. Sequence numbers start at 1 and order the events; <see cref="Kind"/> is the wire
/// name of a <see cref="JobEventKind"/>.
/// </summary>
public sealed record JobEvent
{
    public required string JobId { get; init; }

    public long Sequence { get; init; }

    public DateTimeOffset Timestamp { get; init; }

    /// <summary>The wire name of a <see cref="JobEventKind"/> (kept a string so clients read kinds added later).</summary>
    public required string Kind { get; init; }

    public required string Message { get; init; }

    public double? Fraction { get; init; }

    public IReadOnlyDictionary<string, double>? Metrics { get; init; }
}
