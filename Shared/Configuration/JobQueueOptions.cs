namespace BertPlatform.Shared.Configuration;

/// <summary>Which transport carries job messages (configuration section <c>JobQueue</c>).</summary>
public sealed class JobQueueOptions
{
    public const string Section = "JobQueue";

    /// <summary><see cref="JobQueueTransport.ServiceBus"/> in Azure, <see cref="JobQueueTransport.StorageQueue"/> on Azurite.</summary>
    public JobQueueTransport Transport { get; set; } = JobQueueTransport.StorageQueue;

    /// <summary>Queue name, the same for both transports.</summary>
    public string Name { get; set; } = "jobs";

    /// <summary>Fully qualified Service Bus namespace (<c>{name}.servicebus.windows.net</c>), identity-based.</summary>
    public string? ServiceBusNamespace { get; set; }

    /// <summary>
    /// How long a received message stays hidden from other runners without renewal. Storage queues take it per
    /// receive; on Service Bus the queue's lock duration (at most 5 minutes) plays this role and this value only
    /// sets how often the runner renews (a third of it).
    /// </summary>
    public TimeSpan MessageLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Storage-queue transport: where messages that failed too often go (Service Bus has its dead-letter queue).</summary>
    public string PoisonQueueName => Name + "-poison";
}

public enum JobQueueTransport
{
    ServiceBus,
    StorageQueue,
}
