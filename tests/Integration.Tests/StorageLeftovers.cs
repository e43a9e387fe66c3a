using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using BertPlatform.Shared.Storage;

namespace BertPlatform.Integration.Tests;

/// <summary>
/// What an owner has in storage itself, not what the API lists: blobs (committed ones and those with only
/// uncommitted blocks) under the owner's dataset folder, and dataset table rows in the owner's partition.
/// </summary>
public static class StorageLeftovers
{
    public static async Task<IReadOnlyList<string>> DatasetBlobsAsync(PlatformFixture platform, string owner)
    {
        var names = new List<string>();
        var container = platform.Storage.Container(StorageNames.DatasetsContainer);
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.Uncommitted, StorageNames.OwnerKey(owner) + "/", CancellationToken.None))
            names.Add($"{blob.Name} ({blob.Properties.ContentLength} bytes{(blob.Properties.ContentLength == 0 ? ", maybe uncommitted blocks" : "")})");
        return names;
    }

    public static async Task<IReadOnlyList<string>> DatasetRowsAsync(PlatformFixture platform, string owner)
    {
        var rows = new List<string>();
        var table = platform.Storage.Table(StorageNames.DatasetsTable);
        await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {StorageNames.OwnerKey(owner)}")))
            rows.Add(entity.RowKey);
        return rows;
    }

    /// <summary>Fails naming what is left, after waiting a little for cleanup that runs when a request ends.</summary>
    public static async Task AssertNoneAsync(PlatformFixture platform, string owner, TimeSpan? grace = null)
    {
        var deadline = DateTime.UtcNow + (grace ?? TimeSpan.Zero);
        while (true)
        {
            var blobs = await DatasetBlobsAsync(platform, owner);
            var rows = await DatasetRowsAsync(platform, owner);
            if (blobs.Count == 0 && rows.Count == 0) return;
            if (DateTime.UtcNow >= deadline)
                Assert.Fail($"left behind for {owner}: blobs [{string.Join(", ", blobs)}], rows [{string.Join(", ", rows)}]");
            await Task.Delay(200);
        }
    }
}
