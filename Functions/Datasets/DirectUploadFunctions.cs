using Azure;
using BertPlatform.Functions.Http;
using Azure.Storage.Blobs.Specialized;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BertPlatform.Functions.Datasets;

/// <summary>
/// Datasets of any size, written straight to Blob Storage: <c>POST /api/datasets/uploads</c> creates the dataset and
/// answers a write-only SAS URL for its one blob; the client puts blocks (in parallel, with any tool) and commits
/// them; <c>POST /api/datasets/{id}/complete</c> freezes the blob and queues its validation.
/// </summary>
public sealed class DirectUploadFunctions(
    CallerIdentity caller, DatasetRepository datasets, StorageClients storage, UploadSas sas, UploadQueue queue,
    IOptions<ApiOptions> options, TimeProvider time, ILogger<DirectUploadFunctions> logger)
{
    /// <summary>After the SAS expires, a little longer before its upload is removed, for a commit in flight.</summary>
    public static readonly TimeSpan ExpiryGrace = TimeSpan.FromMinutes(5);

    [Function(nameof(CreateUpload))]
    public async Task<IActionResult> CreateUpload(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "datasets/uploads")] HttpRequest request, CancellationToken cancellationToken)
    {
        if (caller.Resolve(request) is not { } owner) return Problems.Unauthorized();
        var (body, problem) = await JsonBody.ReadAsync<DirectUploadRequest>(request, options.Value.MaxJsonBytes, cancellationToken);
        if (body is null) return problem!;
        var (metadata, error) = UploadMetadata.Parse(body.Lookup);
        if (metadata is null) return Problems.BadRequest(error!.Field, error.Message);
        var limit = options.Value.MaxUploadBytes;
        if (body.Bytes is not { } bytes || bytes < 1)
            return Problems.BadRequest("bytes", "Say the file's size in bytes (bytes: 1 or more); the uploaded blob must have exactly that size.");
        if (bytes > limit) return Problems.TooLarge("bytes", limit);

        var id = Ids.New("ds");
        var blobName = StorageNames.DatasetBlobName(owner, id, metadata.Extension);
        var blob = storage.Container(StorageNames.DatasetsContainer).GetBlockBlobClient(blobName);
        var lifetime = options.Value.DirectUploadLifetime;
        var expiresAt = time.GetUtcNow() + lifetime;
        var record = new DatasetRecord
        {
            Id = id, Owner = owner, Name = metadata.Name, Format = metadata.Format, Task = metadata.Task,
            Columns = metadata.Columns, ProblemType = metadata.ProblemType, Unlabeled = metadata.Unlabeled, BlobName = blobName,
            Status = DatasetStatus.AwaitingUpload, DeclaredBytes = bytes, UploadExpiresAt = expiresAt, CreatedAt = time.GetUtcNow(),
        };
        var uploadUrl = await sas.WriteUriAsync(blob, expiresAt, cancellationToken);
        // The expiry message goes first: whatever happens next, an upload that is never completed gets removed.
        await queue.SendAsync(new UploadMessage(UploadMessage.Expire, owner, id), lifetime + ExpiryGrace, cancellationToken);
        await datasets.AddAsync(record, cancellationToken);
        logger.LogInformation("Direct upload {DatasetId} of {Bytes} bytes created for {Owner}", id, bytes, owner);
        return new CreatedResult($"/api/datasets/{id}", new DirectUploadResponse(record, new DirectUploadTarget(
            uploadUrl, expiresAt, $"/api/datasets/{id}/complete", RecommendedBlockBytes(bytes))));
    }

    /// <summary>
    /// The client has committed the blob. Its size must be what was announced; the blob is then frozen (leased, so
    /// the SAS can no longer change it) and its validation queued. 202: poll the dataset until it is ready or invalid.
    /// </summary>
    [Function(nameof(CompleteUpload))]
    public async Task<IActionResult> CompleteUpload(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "datasets/{id}/complete")] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        if (caller.Resolve(request) is not { } owner) return Problems.Unauthorized();
        if (await datasets.GetAsync(owner, id, cancellationToken) is not { } record) return Problems.NotFound("dataset", id);
        if (record.Status == DatasetStatus.Validating) return new AcceptedResult($"/api/datasets/{id}", record);
        if (record.Status != DatasetStatus.AwaitingUpload)
            return Problems.Conflict($"Dataset '{id}' is {PlatformJson.Serialize(record.Status).Trim('"')}; only an upload awaiting its data can be completed.");
        var blob = storage.Container(StorageNames.DatasetsContainer).GetBlockBlobClient(record.BlobName);
        long size;
        try
        {
            size = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ContentLength;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return Problems.BadRequest("blob", "Nothing is committed at the upload URL yet: put the blocks, then commit the block list (Put Block List), then complete.");
        }
        if (size != record.DeclaredBytes)
            return Problems.BadRequest("bytes", $"The blob has {size} bytes, but the upload announced {record.DeclaredBytes}; upload the whole file (or the right one) and complete again.");
        if (!await DatasetBlobs.FreezeAsync(blob, cancellationToken))
            return Problems.BadRequest("blob", "The blob disappeared before it could be frozen; upload it again.");

        var validating = record with { Status = DatasetStatus.Validating, Bytes = size };
        await datasets.ReplaceAsync(validating, cancellationToken);
        await queue.SendAsync(new UploadMessage(UploadMessage.Validate, owner, id), null, cancellationToken);
        logger.LogInformation("Direct upload {DatasetId} completed ({Bytes} bytes); validation queued", id, size);
        return new AcceptedResult($"/api/datasets/{id}", validating);
    }

    /// <summary>Blocks of 8 to 100 MiB: few enough requests, and well under the service's 50,000 blocks per blob.</summary>
    private static long RecommendedBlockBytes(long bytes) =>
        Math.Clamp(bytes / 10_000, 8L * 1024 * 1024, 100L * 1024 * 1024);
}

/// <summary>The body of <c>POST /api/datasets/uploads</c>: the metadata an HTTP upload takes as query parameters, and the size.</summary>
public sealed record DirectUploadRequest
{
    public string? Name { get; init; }
    public string? Format { get; init; }
    public string? Task { get; init; }
    public string? ProblemType { get; init; }

    /// <summary>Inputs without labels, for batch predictions (text classification only).</summary>
    public bool? Unlabeled { get; init; }

    /// <summary>Column names by role: <c>{"text": "review", "label": "stars"}</c>.</summary>
    public Dictionary<string, string>? Columns { get; init; }

    /// <summary>The file's exact size in bytes.</summary>
    public long? Bytes { get; init; }

    /// <summary>The request as the parameter names <see cref="UploadMetadata"/> reads (<c>textColumn</c> from <c>columns.text</c>).</summary>
    public string? Lookup(string key) => key switch
    {
        "name" => Name,
        "format" => Format,
        "task" => Task,
        "problemType" => ProblemType,
        "unlabeled" => Unlabeled?.ToString(),
        _ when key.EndsWith("Column", StringComparison.Ordinal) => Columns?.GetValueOrDefault(key[..^"Column".Length]),
        _ => null,
    };
}

/// <summary>Where and until when to write the data, and what to call once it is written.</summary>
public sealed record DirectUploadTarget(Uri UploadUrl, DateTimeOffset ExpiresAt, string CompleteUrl, long RecommendedBlockBytes);

public sealed record DirectUploadResponse(DatasetRecord Dataset, DirectUploadTarget Upload);
