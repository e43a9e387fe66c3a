using Azure;
using Azure.Storage.Blobs.Specialized;

namespace BertPlatform.Functions.Datasets;

/// <summary>
/// A direct upload's blob is frozen with an infinite lease when it is completed: its SAS stays valid for a while, and
/// without the lease its holder could change the data after it was validated. Deleting it breaks the lease first.
/// </summary>
public static class DatasetBlobs
{
    /// <summary>Freezes the blob as it is now; returns false when there is no committed blob.</summary>
    public static async Task<bool> FreezeAsync(BlockBlobClient blob, CancellationToken ct)
    {
        try
        {
            await blob.GetBlobLeaseClient().AcquireAsync(TimeSpan.FromSeconds(-1), cancellationToken: ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Already leased: a repeated complete.
            return true;
        }
    }

    /// <summary>Deletes the blob, leased or not, with any uncommitted blocks staged on it.</summary>
    public static async Task DeleteAsync(BlockBlobClient blob)
    {
        try
        {
            await blob.GetBlobLeaseClient().BreakAsync(TimeSpan.Zero, cancellationToken: CancellationToken.None);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 409)
        {
            // No blob, or no lease on it.
        }
        await UncommittedBlocks.DiscardAsync(blob);
    }
}
