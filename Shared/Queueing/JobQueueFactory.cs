using Azure.Core;
using Azure.Messaging.ServiceBus;
using BertPlatform.Shared.Configuration;
using BertPlatform.Shared.Storage;

namespace BertPlatform.Shared.Queueing;

/// <summary>Builds the configured transport: Service Bus with the platform's credential, or a storage queue.</summary>
public static class JobQueueFactory
{
    /// <param name="serviceBus">The Service Bus client (registered through <c>Microsoft.Extensions.Azure</c>); asked for only by that transport.</param>
    public static IJobQueue Create(JobQueueOptions options, StorageClients storage, Func<ServiceBusClient> serviceBus)
    {
        switch (options.Transport)
        {
            case JobQueueTransport.StorageQueue:
                return new StorageJobQueue(storage.Queues.GetQueueClient(options.Name),
                    storage.Queues.GetQueueClient(options.PoisonQueueName), options.MessageLease);
            case JobQueueTransport.ServiceBus:
                var client = serviceBus();
                return new ServiceBusJobQueue(client.CreateSender(options.Name),
                    client.CreateReceiver(options.Name, new ServiceBusReceiverOptions { ReceiveMode = ServiceBusReceiveMode.PeekLock }));
            default:
                throw new InvalidOperationException($"Unknown JobQueue__Transport '{options.Transport}'.");
        }
    }

    public static ServiceBusClient CreateServiceBus(JobQueueOptions options, TokenCredential credential, ServiceBusClientOptions? clientOptions) =>
        string.IsNullOrWhiteSpace(options.ServiceBusNamespace)
            ? throw new InvalidOperationException("JobQueue__ServiceBusNamespace is required when JobQueue__Transport is ServiceBus.")
            : new ServiceBusClient(options.ServiceBusNamespace, credential, clientOptions ?? new ServiceBusClientOptions());
}
