using BertPlatform.Functions.Http;
using BertPlatform.Functions.Jobs;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using Azure.Storage.Blobs.Specialized;
using BertPlatform.Shared.Storage;
using BertPlatform.Shared.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BertPlatform.Functions.Datasets;

/// <summary>Upload, list, read and delete datasets (<c>/api/datasets</c>).</summary>
public sealed class DatasetFunctions(
    CallerIdentity caller, DatasetRepository datasets, JobRepository jobs, StorageClients storage, IOptions<ApiOptions> options,
    TimeProvider time, ILogger<DatasetFunctions> logger)
{
    /// <summary>
    /// The body is the raw file, or the one file part of a multipart form. It is validated while it streams into
    /// staged blob blocks; only a valid dataset is committed and recorded. An invalid, cut-off or failed upload answers
    /// a problem and leaves nothing behind: its staged blocks are discarded, no record is written.
    /// </summary>
    [Function(nameof(UploadDataset))]
    public async Task<IActionResult> UploadDataset(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "datasets")] HttpRequest request, CancellationToken cancellationToken)
    {
        if (caller.Resolve(request) is not { } owner) return Problems.Unauthorized();
        var limit = options.Value.MaxHttpUploadBytes;
        if (request.ContentLength > limit) return Problems.TooLargeForHttp(limit);
        var (body, bodyProblem) = await UploadBody.OpenAsync(request, cancellationToken);
        if (body is null) return bodyProblem!;
        var (metadata, error) = UploadMetadata.Parse(request, body.FormFields);
        if (metadata is null) return Problems.BadRequest(error!.Field, error.Message);

        var id = Ids.New("ds");
        var blobName = StorageNames.DatasetBlobName(owner, id, metadata.Extension);
        var blob = storage.Container(StorageNames.DatasetsContainer).GetBlockBlobClient(blobName);
        ValidationReport report;
        long bytes;
        await using (var staging = new BlockStagingStream(body.File, blob, limit))
        {
            try
            {
                report = await TaskCatalog.For(metadata.Task).ValidateAsync(staging, metadata.Format, metadata.Columns, metadata.ProblemType, cancellationToken, metadata.Unlabeled);
                if (!report.IsValid)
                {
                    logger.LogInformation("Rejected dataset {Name} for {Owner}: {ErrorCount} errors in {RowCount} rows", metadata.Name, owner, report.ErrorCount, report.RowCount);
                    return Problems.InvalidDataset(report);
                }
                await staging.ReadToEndAsync(cancellationToken);
                if (await body.ExtraPartProblemAsync(cancellationToken) is { } extra) return Problems.BadRequest("body", extra);
                await staging.CommitAsync(cancellationToken);
            }
            catch (UploadTooLargeException e)
            {
                await RequestDrain.TryAsync(request.Body);
                return Problems.TooLargeForHttp(e.Limit);
            }
            finally
            {
                // Rejected, too large, cut off by the client or failed: whatever was staged goes.
                if (!staging.Committed) await staging.DiscardAsync();
            }
            bytes = staging.BytesRead;
        }

        var record = new DatasetRecord
        {
            Id = id, Owner = owner, Name = metadata.Name, Format = metadata.Format, Task = metadata.Task,
            Columns = metadata.Columns, ProblemType = metadata.ProblemType, Unlabeled = metadata.Unlabeled, BlobName = blobName,
            Bytes = bytes, RowCount = report.RowCount, ColumnsFound = report.Columns, LabelCounts = report.LabelCounts,
            CreatedAt = time.GetUtcNow(),
        };
        try
        {
            await datasets.AddAsync(record, cancellationToken);
        }
        catch
        {
            // No record, no blob: a failed write must not leave an orphan the owner cannot see or delete.
            await blob.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            throw;
        }
        logger.LogInformation("Stored dataset {DatasetId} ({Rows} rows, {Bytes} bytes) for {Owner}", id, record.RowCount, record.Bytes, owner);
        return new CreatedResult($"/api/datasets/{id}", new DatasetResponse(record, report));
    }

    [Function(nameof(ListDatasets))]
    public async Task<IActionResult> ListDatasets(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "datasets")] HttpRequest request, CancellationToken cancellationToken)
    {
        if (caller.Resolve(request) is not { } owner) return Problems.Unauthorized();
        return new OkObjectResult(await datasets.ListAsync(owner, cancellationToken));
    }

    [Function(nameof(GetDataset))]
    public async Task<IActionResult> GetDataset(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "datasets/{id}")] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        if (caller.Resolve(request) is not { } owner) return Problems.Unauthorized();
        return await datasets.GetAsync(owner, id, cancellationToken) is { } record
            ? new OkObjectResult(record)
            : Problems.NotFound("dataset", id);
    }

    [Function(nameof(DeleteDataset))]
    public async Task<IActionResult> DeleteDataset(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "datasets/{id}")] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        if (caller.Resolve(request) is not { } owner) return Problems.Unauthorized();
        if (await datasets.GetAsync(owner, id, cancellationToken) is not { } record) return Problems.NotFound("dataset", id);
        if (await ActiveJobs.UsingDatasetAsync(jobs, owner, id, cancellationToken) is { } job) return Problems.Conflict(ActiveJobs.InUse("dataset", id, job));
        // Leased (a completed direct upload) or still taking blocks (one in progress): either way nothing may stay.
        await DatasetBlobs.DeleteAsync(storage.Container(StorageNames.DatasetsContainer).GetBlockBlobClient(record.BlobName));
        await datasets.DeleteAsync(record, cancellationToken);
        return new NoContentResult();
    }
}

/// <summary>What an upload answers: the stored record and the validation report behind it.</summary>
public sealed record DatasetResponse(DatasetRecord Dataset, ValidationReport Validation);
