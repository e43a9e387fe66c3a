using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using BertPlatform.Shared.Configuration;

namespace BertPlatform.Shared.Storage;

/// <summary>
/// Blob, table and queue service clients built from <see cref="StorageOptions"/>: a connection string for Azurite,
/// otherwise the service URIs with the platform's one credential (the managed identity; <c>AZURE_CLIENT_ID</c>
/// picks a user-assigned one). The hosts register the clients through <c>Microsoft.Extensions.Azure</c>
/// (<c>PlatformStorageServices</c>), which calls the factories below.
/// </summary>
public sealed class StorageClients(BlobServiceClient blobs, TableServiceClient tables, Func<QueueServiceClient> queues)
{
    private readonly Lazy<QueueServiceClient> queueService = new(queues);

    /// <summary>Clients without dependency injection (tools and tests): the same factories, one credential.</summary>
    public StorageClients(StorageOptions options, TokenCredential? credential = null)
        : this(options, credential ?? new DefaultAzureCredential(), blobOptions: null)
    {
    }

    private StorageClients(StorageOptions options, TokenCredential credential, BlobClientOptions? blobOptions)
        : this(CreateBlobs(options, credential, blobOptions), CreateTables(options, credential, null), () => CreateQueues(options, credential, null))
    {
    }

    public BlobServiceClient Blobs { get; } = blobs;

    public TableServiceClient Tables { get; } = tables;

    public QueueServiceClient Queues => queueService.Value;

    public BlobContainerClient Container(string name) => Blobs.GetBlobContainerClient(name);

    public TableClient Table(string name) => Tables.GetTableClient(name);

    public static BlobServiceClient CreateBlobs(StorageOptions options, TokenCredential credential, BlobClientOptions? clientOptions) =>
        UsesConnectionString(options)
            ? new BlobServiceClient(options.ConnectionString, clientOptions)
            : new BlobServiceClient(options.BlobServiceUri ?? throw NotConfigured(), credential, clientOptions);

    public static TableServiceClient CreateTables(StorageOptions options, TokenCredential credential, TableClientOptions? clientOptions) =>
        UsesConnectionString(options)
            ? new TableServiceClient(options.ConnectionString, clientOptions)
            : new TableServiceClient(options.TableServiceUri ?? throw NotConfigured(), credential, clientOptions);

    /// <summary>Base64 bodies, the encoding Functions queue triggers expect, so any tool can read the queue.</summary>
    public static QueueServiceClient CreateQueues(StorageOptions options, TokenCredential credential, QueueClientOptions? clientOptions)
    {
        clientOptions ??= new QueueClientOptions();
        clientOptions.MessageEncoding = QueueMessageEncoding.Base64;
        return UsesConnectionString(options)
            ? new QueueServiceClient(options.ConnectionString, clientOptions)
            : new QueueServiceClient(
                options.QueueServiceUri ?? throw new InvalidOperationException("Storage__QueueServiceUri is required by the storage queues (dataset uploads, StorageQueue job transport)."),
                credential, clientOptions);
    }

    private static bool UsesConnectionString(StorageOptions options) => !string.IsNullOrWhiteSpace(options.ConnectionString);

    private static InvalidOperationException NotConfigured() => new(
        "Storage is not configured: set Storage__ConnectionString (Azurite) or Storage__BlobServiceUri and Storage__TableServiceUri (Azure, managed identity).");
}
