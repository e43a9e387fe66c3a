using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using BertPlatform.Shared.Contracts;

namespace BertPlatform.Shared.Queueing;

/// <summary>
/// Azure Storage queue transport (Azurite locally). A received message is hidden for the lease period and
/// renewed by updating its visibility; poison messages move to <c>{name}-poison</c> with the reason attached.
/// </summary>
public sealed class StorageJobQueue(QueueClient queue, QueueClient poisonQueue, TimeSpan messageLease) : IJobQueue
{
    private QueueClient Queue => queue;

    private QueueClient PoisonQueue => poisonQueue;

    private TimeSpan MessageLease => messageLease;

    public async Task EnsureCreatedAsync(CancellationToken ct)
    {
        await queue.CreateIfNotExistsAsync(cancellationToken: ct);
        await poisonQueue.CreateIfNotExistsAsync(cancellationToken: ct);
    }

    public async Task SendAsync(JobMessage message, TimeSpan? delay, CancellationToken ct) =>
        await queue.SendMessageAsync(PlatformJson.Serialize(message), visibilityTimeout: delay, cancellationToken: ct);

    public async Task<IReceivedJobMessage?> ReceiveAsync(TimeSpan maxWait, CancellationToken ct)
    {
        // Storage queues have no long polling: poll at a short interval until the wait is over.
        var deadline = DateTimeOffset.UtcNow + maxWait;
        while (true)
        {
            QueueMessage[] received = await queue.ReceiveMessagesAsync(1, messageLease, ct);
            if (received.Length == 1) return new Received(this, received[0]);
            var left = deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero) return null;
            await Task.Delay(left < PollStep ? left : PollStep, ct);
        }
    }

    private static readonly TimeSpan PollStep = TimeSpan.FromMilliseconds(500);

    private sealed class Received(StorageJobQueue owner, QueueMessage message) : IReceivedJobMessage
    {
        private string popReceipt = message.PopReceipt;

        public JobMessage Message { get; } = PlatformJson.Deserialize<JobMessage>(message.Body.ToString());

        public int DeliveryCount => (int)message.DequeueCount;

        public async Task RenewAsync(CancellationToken ct)
        {
            var receipt = await owner.Queue.UpdateMessageAsync(message.MessageId, popReceipt, visibilityTimeout: owner.MessageLease, cancellationToken: ct);
            popReceipt = receipt.Value.PopReceipt;
        }

        public async Task CompleteAsync(CancellationToken ct) =>
            await owner.Queue.DeleteMessageAsync(message.MessageId, popReceipt, ct);

        public async Task AbandonAsync(CancellationToken ct)
        {
            var receipt = await owner.Queue.UpdateMessageAsync(message.MessageId, popReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: ct);
            popReceipt = receipt.Value.PopReceipt;
        }

        public async Task DeadLetterAsync(string reason, CancellationToken ct)
        {
            // Send before delete: a crash in between leaves a duplicate, never a lost message.
            var poison = new PoisonMessage(Message.JobId, Message.Owner, reason, DeliveryCount, DateTimeOffset.UtcNow);
            await owner.PoisonQueue.SendMessageAsync(PlatformJson.Serialize(poison), cancellationToken: ct);
            await CompleteAsync(ct);
        }
    }
}

/// <summary>What the storage-queue transport writes to the poison queue.</summary>
public sealed record PoisonMessage(string JobId, string Owner, string Reason, int DeliveryCount, DateTimeOffset DeadLetteredAt);
