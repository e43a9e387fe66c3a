using BertPlatform.Shared.Contracts;

namespace BertPlatform.Shared.Queueing;

/// <summary>
/// The job queue, whatever carries it. Delivery is at-least-once with a renewable lease on each received
/// message: a runner that stops renewing (it died) lets the message reappear for another runner.
/// </summary>
public interface IJobQueue
{
    /// <summary>Sends a message, optionally invisible until <paramref name="delay"/> has passed.</summary>
    Task SendAsync(JobMessage message, TimeSpan? delay, CancellationToken ct);

    /// <summary>Waits up to <paramref name="maxWait"/> for a message; null if none arrived.</summary>
    Task<IReceivedJobMessage?> ReceiveAsync(TimeSpan maxWait, CancellationToken ct);
}

/// <summary>A message a runner holds. Exactly one of complete, abandon or dead-letter ends the holding.</summary>
public interface IReceivedJobMessage
{
    JobMessage Message { get; }

    /// <summary>1 on the first delivery; grows each time the message comes back.</summary>
    int DeliveryCount { get; }

    /// <summary>Extends the hold for another lease period; throws if the hold was already lost.</summary>
    Task RenewAsync(CancellationToken ct);

    /// <summary>The job is settled: remove the message.</summary>
    Task CompleteAsync(CancellationToken ct);

    /// <summary>Give the message back now so another delivery picks it up (shutdown, transient failure).</summary>
    Task AbandonAsync(CancellationToken ct);

    /// <summary>Moves the message aside for good with a reason (Service Bus dead-letter queue, or the poison queue).</summary>
    Task DeadLetterAsync(string reason, CancellationToken ct);
}
