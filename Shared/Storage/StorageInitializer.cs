using Azure;

namespace BertPlatform.Shared.Storage;

/// <summary>
/// Creates the containers and tables if they are missing: on a fresh Azurite it is what makes the first request work.
/// In Azure the infrastructure creates them and the apps do not call this (PlatformStorageServices).
/// </summary>
public sealed class StorageInitializer(StorageClients clients)
{
    private static readonly string[] Containers =
        [StorageNames.DatasetsContainer, StorageNames.ModelsContainer, StorageNames.CheckpointsContainer, StorageNames.PredictionsContainer];

    private static readonly string[] Tables =
        [StorageNames.DatasetsTable, StorageNames.JobsTable, StorageNames.JobEventsTable, StorageNames.ModelsTable];

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        foreach (var container in Containers)
            await clients.Container(container).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        foreach (var table in Tables)
        {
            try
            {
                await clients.Table(table).CreateIfNotExistsAsync(cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                // Another process created it between the check and the create.
            }
        }
    }
}
