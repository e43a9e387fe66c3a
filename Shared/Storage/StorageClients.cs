using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using BertPlatform.Shared.Configuration;

namespace BertPlatform.Shared.Storage;

/// <summary>
/// Blob, table and queue service clients built from <see cref="StorageOptions"/>: a connection string for Azurite,
/// otherwise the service URIs with the managed identity (<c>AZURE_CLIENT_ID</c> picks a user-assigned one).
/// </summary>
public sealed class StorageClients
{
    public StorageClients(StorageOptions options, TokenCredential? credential = null)
    {
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            Blobs = new BlobServiceClient(options.ConnectionString);
            Tables = new TableServiceClient(options.ConnectionString);
            queues = new Lazy<QueueServiceClient>(() => new QueueServiceClient(options.ConnectionString, QueueOptions()));
            return;
        }
        if (options.BlobServiceUri is null || options.TableServiceUri is null)
            throw new InvalidOperationException(
                "Storage is not configured: set Storage__ConnectionString (Azurite) or Storage__BlobServiceUri and Storage__TableServiceUri (Azure, managed identity).");
        credential ??= new DefaultAzureCredential();
        Blobs = new BlobServiceClient(options.BlobServiceUri, credential);
        Tables = new TableServiceClient(options.TableServiceUri, credential);
        var queueUri = options.QueueServiceUri;
        var tokenCredential = credential;
        queues = new Lazy<QueueServiceClient>(() => new QueueServiceClient(
            queueUri ?? throw new InvalidOperationException("Storage__QueueServiceUri is required by the StorageQueue job transport."),
            tokenCredential, QueueOptions()));
    }

    private readonly Lazy<QueueServiceClient> queues;

    public BlobServiceClient Blobs { get; }

    public TableServiceClient Tables { get; }

    public QueueServiceClient Queues => queues.Value;

    public BlobContainerClient Container(string name) => Blobs.GetBlobContainerClient(name);

    public TableClient Table(string name) => Tables.GetTableClient(name);

    /// <summary>Base64 bodies, the encoding Functions queue triggers expect, so any tool can read the queue.</summary>
    private static QueueClientOptions QueueOptions() => new() { MessageEncoding = QueueMessageEncoding.Base64 };
}
