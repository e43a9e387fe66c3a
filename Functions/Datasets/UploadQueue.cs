using Azure.Storage.Queues;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Storage;

namespace BertPlatform.Functions.Datasets;

/// <summary>What the upload queue carries: validate a completed direct upload, or remove one that was never completed.</summary>
public sealed record UploadMessage(string Kind, string Owner, string DatasetId)
{
    public const string Validate = "validate";
    public const string Expire = "expire";
}

/// <summary>
/// The storage queue that takes a direct upload's validation off the HTTP request. In Azure a queue-triggered
/// function (<see cref="UploadProcessorFunction"/>) reads it, on the Functions host's storage account, which is the
/// platform's account, so the API sends there too; locally the LocalHost polls it and calls the same function.
/// </summary>
public sealed class UploadQueue(StorageClients storage)
{
    public const string Name = "dataset-uploads";

    public QueueClient Client => storage.Queues.GetQueueClient(Name);

    public async Task SendAsync(UploadMessage message, TimeSpan? delay, CancellationToken ct) =>
        await Client.SendMessageAsync(PlatformJson.Serialize(message), visibilityTimeout: delay, cancellationToken: ct);

    public async Task EnsureCreatedAsync(CancellationToken ct) => await Client.CreateIfNotExistsAsync(cancellationToken: ct);
}
