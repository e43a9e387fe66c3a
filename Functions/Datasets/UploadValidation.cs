using Azure.Storage.Blobs.Specialized;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Storage;
using BertPlatform.Shared.Tasks;
using Microsoft.Extensions.Logging;

namespace BertPlatform.Functions.Datasets;

/// <summary>
/// Validates a completed direct upload by streaming its blob through the same validator as an HTTP upload (one
/// buffer of memory whatever the size), then makes the dataset <c>ready</c> with the report, or <c>invalid</c> with
/// the errors and its blob deleted. Also removes uploads that expired without being completed. Idempotent: a message
/// delivered twice finds the dataset already past the state it acts on.
/// </summary>
public sealed class UploadValidation(DatasetRepository datasets, StorageClients storage, TimeProvider time, ILogger<UploadValidation> logger)
{
    /// <summary>Blob reads of this size keep the validator fed with few round trips.</summary>
    public const int ReadBufferBytes = 4 * 1024 * 1024;

    /// <summary>A table property holds 32K characters: errors are dropped from the end until the record fits.</summary>
    private const int MaxRecordJsonChars = 30_000;

    public async Task ProcessAsync(UploadMessage message, CancellationToken ct)
    {
        switch (message.Kind)
        {
            case UploadMessage.Validate:
                await ValidateAsync(message.Owner, message.DatasetId, ct);
                break;
            case UploadMessage.Expire:
                await ExpireAsync(message.Owner, message.DatasetId);
                break;
            default:
                logger.LogWarning("Ignored an upload message of unknown kind {Kind}", message.Kind);
                break;
        }
    }

    /// <summary>Called when every delivery of a validation failed: the dataset must not stay <c>validating</c> forever.</summary>
    public async Task GiveUpAsync(UploadMessage message, string reason)
    {
        if (message.Kind != UploadMessage.Validate) return;
        if (await datasets.GetAsync(message.Owner, message.DatasetId, CancellationToken.None) is not { Status: DatasetStatus.Validating } record) return;
        await RejectAsync(record, 0, [new DatasetError("dataset", null, $"validation could not be completed: {reason}; upload the file again")]);
    }

    private async Task ValidateAsync(string owner, string id, CancellationToken ct)
    {
        if (await datasets.GetAsync(owner, id, ct) is not { Status: DatasetStatus.Validating } record) return;
        var blob = storage.Container(StorageNames.DatasetsContainer).GetBlockBlobClient(record.BlobName);
        // allowModifications: false pins the read to the blob's ETag, so the report is about one version of the data.
        await using var content = await blob.OpenReadAsync(new Azure.Storage.Blobs.Models.BlobOpenReadOptions(allowModifications: false)
        {
            BufferSize = ReadBufferBytes,
        }, ct);
        var report = await TaskCatalog.For(record.Task).ValidateAsync(content, record.Format, record.Columns, record.ProblemType, ct, record.Unlabeled);
        if (!report.IsValid)
        {
            logger.LogInformation("Direct upload {DatasetId} of {Owner} is invalid: {ErrorCount} errors in {RowCount} rows", id, owner, report.ErrorCount, report.RowCount);
            await RejectAsync(record, report.ErrorCount, report.Errors);
            return;
        }
        var ready = record with
        {
            Status = DatasetStatus.Ready, Bytes = report.Bytes, RowCount = report.RowCount, ColumnsFound = report.Columns,
            LabelCounts = report.LabelCounts,
        };
        if (!await datasets.ReplaceAsync(ready, ct))
        {
            await DatasetBlobs.DeleteAsync(blob);   // deleted while it was validated
            return;
        }
        logger.LogInformation("Direct upload {DatasetId} of {Owner} is ready: {Rows} rows, {Bytes} bytes", id, owner, report.RowCount, report.Bytes);
    }

    private async Task RejectAsync(DatasetRecord record, long errorCount, IReadOnlyList<DatasetError> errors)
    {
        await DatasetBlobs.DeleteAsync(storage.Container(StorageNames.DatasetsContainer).GetBlockBlobClient(record.BlobName));
        var invalid = record with { Status = DatasetStatus.Invalid, Bytes = 0, ErrorCount = Math.Max(errorCount, errors.Count), Errors = errors };
        while (invalid.Errors!.Count > 1 && PlatformJson.Serialize(invalid).Length > MaxRecordJsonChars)
            invalid = invalid with { Errors = invalid.Errors.Take(invalid.Errors.Count / 2).ToArray() };
        await datasets.ReplaceAsync(invalid, CancellationToken.None);
    }

    /// <summary>
    /// The write SAS has expired: an upload never completed (or deleted meanwhile) goes, record, blob and any
    /// uncommitted blocks. A completed one is left alone.
    /// </summary>
    private async Task ExpireAsync(string owner, string id)
    {
        var record = await datasets.GetAsync(owner, id, CancellationToken.None);
        if (record is not null && record.Status != DatasetStatus.AwaitingUpload) return;
        var blobName = record?.BlobName ?? await FindBlobAsync(owner, id);
        if (blobName is not null) await DatasetBlobs.DeleteAsync(storage.Container(StorageNames.DatasetsContainer).GetBlockBlobClient(blobName));
        if (record is not null) await datasets.DeleteAsync(record, CancellationToken.None);
        logger.LogInformation("Removed expired direct upload {DatasetId} of {Owner} at {Now}", id, owner, time.GetUtcNow());
    }

    /// <summary>The record is gone (deleted while the SAS was valid): find what its holder may have written since.</summary>
    private async Task<string?> FindBlobAsync(string owner, string id)
    {
        var prefix = $"{StorageNames.OwnerKey(owner)}/{id}/";
        await foreach (var blob in storage.Container(StorageNames.DatasetsContainer).GetBlobsAsync(
                           Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.Uncommitted, prefix, CancellationToken.None))
            return blob.Name;
        return null;
    }
}
