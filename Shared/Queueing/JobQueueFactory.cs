using Azure.Core;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using BertPlatform.Shared.Configuration;
using BertPlatform.Shared.Storage;

namespace BertPlatform.Shared.Queueing;

/// <summary>Builds the configured transport: Service Bus with the managed identity, or a storage queue.</summary>
public static class JobQueueFactory
{
    public static IJobQueue Create(JobQueueOptions options, StorageClients storage, TokenCredential? credential = null)
    {
        switch (options.Transport)
        {
            case JobQueueTransport.StorageQueue:
                return new StorageJobQueue(storage.Queues.GetQueueClient(options.Name),
                    storage.Queues.GetQueueClient(options.PoisonQueueName), options.MessageLease);
            case JobQueueTransport.ServiceBus:
                if (string.IsNullOrWhiteSpace(options.ServiceBusNamespace))
                    throw new InvalidOperationException("JobQueue__ServiceBusNamespace is required when JobQueue__Transport is ServiceBus.");
                var client = new ServiceBusClient(options.ServiceBusNamespace, credential ?? new DefaultAzureCredential());
                return new ServiceBusJobQueue(client.CreateSender(options.Name),
                    client.CreateReceiver(options.Name, new ServiceBusReceiverOptions { ReceiveMode = ServiceBusReceiveMode.PeekLock }));
            default:
                throw new InvalidOperationException($"Unknown JobQueue__Transport '{options.Transport}'.");
        }
    }
}
