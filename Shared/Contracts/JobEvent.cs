namespace BertPlatform.Shared.Contracts;

/// <summary>
/// One entry of a job's timeline. Sequence numbers start at 1 and order the events; kinds are
/// <c>queued</c>, <c>started</c>, <c>progress</c>, <c>train</c>, <c>eval</c>, <c>log</c>, <c>checkpoint</c>,
/// <c>retry</c>, <c>released</c>, <c>cancel_requested</c>, <c>succeeded</c>, <c>failed</c>, <c>cancelled</c>.
/// </summary>
public sealed record JobEvent
{
    public required string JobId { get; init; }

    public long Sequence { get; init; }

    public DateTimeOffset Timestamp { get; init; }

    public required string Kind { get; init; }

    public required string Message { get; init; }

    public double? Fraction { get; init; }

    public IReadOnlyDictionary<string, double>? Metrics { get; init; }
}
