using BertPlatform.Functions.Http;
using BertPlatform.Functions.Jobs;
using BertPlatform.Shared.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace BertPlatform.Functions.Models;

/// <summary>List and read published models, and download their files (<c>/api/models</c>).</summary>
public sealed class ModelFunctions(CallerIdentity caller, ModelRepository models, JobRepository jobs, StorageClients storage)
{
    /// <summary>Deletes a model's files and record; refused while a queued or running job continues from it.</summary>
    [Function(nameof(DeleteModel))]
    public async Task<IActionResult> DeleteModel(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "models/{id}")] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        if (caller.Resolve(request) is not { } owner) return Problems.Unauthorized();
        if (await models.GetAsync(owner, id, cancellationToken) is not { } model) return Problems.NotFound("model", id);
        if (await ActiveJobs.UsingModelAsync(jobs, owner, id, cancellationToken) is { } job) return Problems.Conflict(ActiveJobs.InUse("model", id, job));
        // A record without a prefix would make the delete below take the whole container (base models included).
        if (model.BlobPrefix.Length > 1) await BlobFolders.DeleteAsync(storage.Container(StorageNames.ModelsContainer), model.BlobPrefix, cancellationToken);
        await models.DeleteAsync(model, cancellationToken);
        return new NoContentResult();
    }

    [Function(nameof(ListModels))]
    public async Task<IActionResult> ListModels(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "models")] HttpRequest request, CancellationToken cancellationToken)
    {
        if (caller.Resolve(request) is not { } owner) return Problems.Unauthorized();
        return new OkObjectResult(await models.ListAsync(owner, cancellationToken));
    }

    [Function(nameof(GetModel))]
    public async Task<IActionResult> GetModel(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "models/{id}")] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        if (caller.Resolve(request) is not { } owner) return Problems.Unauthorized();
        return await models.GetAsync(owner, id, cancellationToken) is { } model ? new OkObjectResult(model) : Problems.NotFound("model", id);
    }

    /// <summary>Streams one file of the model (<c>config.json</c>, <c>model.safetensors</c>, <c>metrics.json</c> ...).</summary>
    [Function(nameof(DownloadModelFile))]
    public async Task<IActionResult> DownloadModelFile(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "models/{id}/files/{*path}")] HttpRequest request, string id, string path,
        CancellationToken cancellationToken)
    {
        if (caller.Resolve(request) is not { } owner) return Problems.Unauthorized();
        if (await models.GetAsync(owner, id, cancellationToken) is not { } model) return Problems.NotFound("model", id);
        if (model.Files.FirstOrDefault(f => f.Path == path) is not { } file) return Problems.NotFound("file of model " + id, path);
        var blob = storage.Container(StorageNames.ModelsContainer).GetBlobClient(model.BlobPrefix + file.Path);
        var content = await blob.OpenReadAsync(cancellationToken: cancellationToken);
        var contentType = Path.GetExtension(file.Path) is ".json" ? "application/json" : Path.GetExtension(file.Path) is ".txt" or ".md" ? "text/plain" : "application/octet-stream";
        return new FileStreamResult(content, contentType) { FileDownloadName = Path.GetFileName(file.Path) };
    }
}
