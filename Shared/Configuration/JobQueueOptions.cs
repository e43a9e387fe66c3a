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
}

public enum JobQueueTransport
{
    ServiceBus,
    StorageQueue,
}
