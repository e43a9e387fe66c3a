using Azure.Messaging.ServiceBus;
using BertPlatform.Shared.Contracts;

namespace BertPlatform.Shared.Queueing;

/// <summary>
/// Azure Service Bus transport (peek-lock). Locks last at most five minutes, so the runner renews them while it
/// trains; the queue's own MaxDeliveryCount and dead-letter queue back up the runner's attempt limit.
/// </summary>
public sealed class ServiceBusJobQueue(ServiceBusSender sender, ServiceBusReceiver receiver) : IJobQueue, IAsyncDisposable
{
    public async Task SendAsync(JobMessage message, TimeSpan? delay, CancellationToken ct) =>
        await sender.SendMessageAsync(ServiceBusJobMessages.Create(message, delay, DateTimeOffset.UtcNow), ct);

    public async Task<IReceivedJobMessage?> ReceiveAsync(TimeSpan maxWait, CancellationToken ct)
    {
        var message = await receiver.ReceiveMessageAsync(maxWait, ct);
        return message is null ? null : new Received(receiver, message);
    }

    public async ValueTask DisposeAsync()
    {
        await sender.DisposeAsync();
        await receiver.DisposeAsync();
    }

    private sealed class Received(ServiceBusReceiver receiver, ServiceBusReceivedMessage message) : IReceivedJobMessage
    {
        public JobMessage Message { get; } = PlatformJson.Deserialize<JobMessage>(message.Body.ToString());

        public int DeliveryCount => message.DeliveryCount;

        public Task RenewAsync(CancellationToken ct) => receiver.RenewMessageLockAsync(message, ct);

        public Task CompleteAsync(CancellationToken ct) => receiver.CompleteMessageAsync(message, ct);

        public Task AbandonAsync(CancellationToken ct) => receiver.AbandonMessageAsync(message, cancellationToken: ct);

        public Task DeadLetterAsync(string reason, CancellationToken ct) =>
            receiver.DeadLetterMessageAsync(message, "JobFailed", Truncate(reason, 4000), ct);

        private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
    }
}
