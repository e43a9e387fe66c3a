using Azure.Storage.Blobs.Specialized;

namespace BertPlatform.Functions.Datasets;

/// <summary>Removes a block blob together with any blocks staged on it but never committed.</summary>
public static class UncommittedBlocks
{
    /// <summary>
    /// Uncommitted blocks cannot be deleted on their own and a blob that was never committed cannot be deleted at
    /// all (404), so commit an empty block list, which discards every uncommitted block, then delete the empty blob.
    /// Never called on a blob that holds a dataset: the commit replaces its content.
    /// </summary>
    public static async Task DiscardAsync(BlockBlobClient blob)
    {
        // Cleanup runs after the request was cancelled or failed: it must not inherit that cancellation.
        await blob.CommitBlockListAsync([], cancellationToken: CancellationToken.None);
        await blob.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
    }
}
