using BertPlatform.Functions.Http;
using BertPlatform.Functions.Insight;
using BertPlatform.Shared.Insight;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Queueing;
using BertPlatform.Shared.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BertPlatform.Functions.Jobs;

/// <summary>Submit training jobs; list, read, follow, cancel and delete jobs of every kind (<c>/api/jobs</c>).</summary>
public sealed class JobFunctions(
    CallerIdentity caller, JobSpecValidator validator, JobRepository jobs, JobEventLog events, DatasetRepository datasets,
    ModelRepository models, StorageClients storage, JobSubmission submission, PreflightReports preflight, IOptions<ApiOptions> options, TimeProvider time,
    ILogger<JobFunctions> logger)
{
    /// <summary>Checks a training spec and queues it (<see cref="JobSubmission"/>).</summary>
    [Function(nameof(SubmitJob))]
    public async Task<IActionResult> SubmitJob(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "jobs")] HttpRequest request, CancellationToken cancellationToken)
    {
        if (caller.Resolve(request) is not { } owner) return Problems.Unauthorized();
        var (spec, problem) = await JsonBody.ReadAsync<JobSpec>(request, options.Value.MaxJsonBytes, cancellationToken);
        if (spec is null) return problem!;
        var errors = validator.Validate(spec);
        if (errors.Count > 0) return Problems.FieldErrors(errors, "The job spec is not valid.");

        var training = await datasets.GetAsync(owner, spec.TrainingDataset, cancellationToken);
        if (training is null) return Problems.BadRequest("trainingDataset", $"There is no dataset '{spec.TrainingDataset}' that you own.");
        if (NotReady(training, "trainingDataset") is { } trainingNotReady) return trainingNotReady;
        if (training.Unlabeled) return Problems.BadRequest("trainingDataset", Unlabeled(training));
        if (training.Task != spec.Task)
            return Problems.BadRequest("trainingDataset", $"Dataset '{training.Id}' was uploaded for {Wire(training.Task)}, not {Wire(spec.Task)}.");
        DatasetRecord? validation = null;
        if (spec.ValidationDataset is { } validationId)
        {
            validation = await datasets.GetAsync(owner, validationId, cancellationToken);
            if (validation is null) return Problems.BadRequest("validationDataset", $"There is no dataset '{validationId}' that you own.");
            if (NotReady(validation, "validationDataset") is { } validationNotReady) return validationNotReady;
            if (validation.Unlabeled) return Problems.BadRequest("validationDataset", Unlabeled(validation));
            if (validation.Task != spec.Task)
                return Problems.BadRequest("validationDataset", $"Dataset '{validationId}' was uploaded for {Wire(validation.Task)}, not {Wire(spec.Task)}.");
        }
        var validationSets = new List<(ValidationSet Set, DatasetRecord Dataset)>();
        foreach (var (set, index) in (spec.ValidationSets ?? []).Select((set, index) => (set, index)))
        {
            var field = $"validationSets[{index}].dataset";
            var dataset = await datasets.GetAsync(owner, set.Dataset, cancellationToken);
            if (dataset is null) return Problems.BadRequest(field, $"There is no dataset '{set.Dataset}' that you own.");
            if (NotReady(dataset, field) is { } setNotReady) return setNotReady;
            if (dataset.Task != spec.Task)
                return Problems.BadRequest(field, $"Dataset '{set.Dataset}' was uploaded for {Wire(dataset.Task)}, not {Wire(spec.Task)}.");
            validationSets.Add((set, dataset));
        }
        // From-scratch pre-training builds its own vocabulary and random weights: no base model is read.
        var needsBaseModel = !(spec.Task == TaskType.Pretraining && spec.Pretraining.FromScratch);
        if (needsBaseModel && await BaseModelProblemAsync(owner, spec.BaseModel, cancellationToken) is { } missing)
            return Problems.BadRequest("baseModel", missing);

        // A spec that names no columns trains on the mapping its dataset was validated with.
        if (spec.Columns == ColumnMapping.Default) spec = spec with { Columns = training.Columns };
        spec = spec with { ProblemType = spec.ProblemType ?? training.ProblemType };

        // The report is advice, not a gate: a base model the API cannot read a vocabulary from (its existence was
        // checked above) leaves the job without one, and the runner says what is missing. From scratch there is no
        // vocabulary yet to measure the data with.
        PreflightReport? report = null;
        if (needsBaseModel)
            (report, _) = await preflight.CreateAsync(owner, spec.BaseModel, training, validation, PreflightSettings.Of(spec), spec.Columns, cancellationToken,
                validationSets.Select(v => (v.Set.Name, v.Dataset)).ToList());

        var startingPoint = needsBaseModel ? spec.BaseModel : $"random {spec.Pretraining.ModelSize} weights (from scratch)";
        return await submission.QueueAsync(new JobRecord { Id = Ids.New("job"), Owner = owner, Spec = spec, Preflight = report },
            $"Queued {Wire(spec.Task)} on {startingPoint} with dataset {spec.TrainingDataset}.", cancellationToken);
    }

    [Function(nameof(ListJobs))]
    public async Task<IActionResult> ListJobs(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "jobs")] HttpRequest request, CancellationToken cancellationToken)
    {
        if (caller.Resolve(request) is not { } owner) return Problems.Unauthorized();
        return new OkObjectResult(await jobs.ListAsync(owner, cancellationToken));
    }

    [Function(nameof(GetJob))]
    public async Task<IActionResult> GetJob(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "jobs/{id}")] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        if (caller.Resolve(request) is not { } owner) return Problems.Unauthorized();
        return await jobs.GetAsync(owner, id, cancellationToken) is { } job ? new OkObjectResult(job) : Problems.NotFound("job", id);
    }

    /// <summary>The job's events in order; <c>?after=N</c> returns only those after sequence number N (for polling).</summary>
    [Function(nameof(GetJobEvents))]
    public async Task<IActionResult> GetJobEvents(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "jobs/{id}/events")] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        if (caller.Resolve(request) is not { } owner) return Problems.Unauthorized();
        if (await jobs.GetAsync(owner, id, cancellationToken) is null) return Problems.NotFound("job", id);
        long after = 0;
        if (request.Query.TryGetValue("after", out var afterText) && (!long.TryParse(afterText, out after) || after < 0))
            return Problems.BadRequest("after", $"'after' must be a non-negative sequence number; got '{afterText}'.");
        return new OkObjectResult(await events.ListAsync(id, after, cancellationToken));
    }

    /// <summary>A queued job is cancelled at once; a running one is flagged and its runner stops within one step.</summary>
    [Function(nameof(CancelJob))]
    public async Task<IActionResult> CancelJob(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "jobs/{id}/cancel")] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        if (caller.Resolve(request) is not { } owner) return Problems.Unauthorized();
        var (job, applied) = await jobs.UpdateAsync(owner, id, current => current.Status switch
        {
            JobStatus.Queued => current with { Status = JobStatus.Cancelled, CancelRequested = true, CompletedAt = time.GetUtcNow() },
            JobStatus.Running when !current.CancelRequested => current with { CancelRequested = true },
            _ => null,
        }, cancellationToken);
        if (job is null) return Problems.NotFound("job", id);
        if (!applied && job.Status.IsFinal()) return Problems.Conflict($"Job '{id}' has already {Wire(job.Status)}.");
        if (applied)
            await events.AppendAsync(id, job.Status == JobStatus.Cancelled ? JobEventKind.Cancelled : JobEventKind.CancelRequested,
                job.Status == JobStatus.Cancelled ? "Cancelled before a runner started it." : "Cancel requested; the runner stops after its current step.",
                ct: cancellationToken);
        return new AcceptedResult($"/api/jobs/{id}", job);
    }

    /// <summary>
    /// Deletes a finished job with its events and checkpoints (and a batch prediction's predictions file). The model it published stays (it has its own
    /// <c>DELETE /api/models/{id}</c>). The record goes last, so a delete that fails halfway can simply be repeated.
    /// </summary>
    [Function(nameof(DeleteJob))]
    public async Task<IActionResult> DeleteJob(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "jobs/{id}")] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        if (caller.Resolve(request) is not { } owner) return Problems.Unauthorized();
        if (await jobs.GetAsync(owner, id, cancellationToken) is not { } job) return Problems.NotFound("job", id);
        if (!job.Status.IsFinal())
            return Problems.Conflict($"Job '{id}' is {Wire(job.Status)}; cancel it (POST /api/jobs/{id}/cancel) and delete it once it has stopped.");
        await BlobFolders.DeleteAsync(storage.Container(StorageNames.CheckpointsContainer), StorageNames.CheckpointPrefix(id), cancellationToken);
        if (job.Output is { } output)
            await storage.Container(StorageNames.PredictionsContainer).DeleteBlobIfExistsAsync(output.BlobName, cancellationToken: cancellationToken);
        await events.DeleteAllAsync(id, cancellationToken);
        await jobs.DeleteAsync(job, cancellationToken);
        logger.LogInformation("Deleted job {JobId} of {Owner}", id, owner);
        return new NoContentResult();
    }

    private static IActionResult? NotReady(DatasetRecord dataset, string field) => dataset.Status == DatasetStatus.Ready
        ? null
        : Problems.BadRequest(field, $"Dataset '{dataset.Id}' is {Wire(dataset.Status)}, not ready; " + dataset.Status switch
        {
            DatasetStatus.AwaitingUpload => "upload its blob and complete the upload first.",
            DatasetStatus.Validating => "wait until its validation has finished.",
            _ => "it failed validation (see its errors) and cannot be trained on.",
        });

    private static string Unlabeled(DatasetRecord dataset) =>
        $"Dataset '{dataset.Id}' was uploaded unlabeled: it can be predicted on (POST /api/batch-predictions), not trained or evaluated on.";

    private async Task<string?> BaseModelProblemAsync(string owner, string baseModel, CancellationToken ct)
    {
        if (baseModel.StartsWith("model:", StringComparison.Ordinal))
        {
            var modelId = baseModel["model:".Length..];
            return await models.GetAsync(owner, modelId, ct) is null ? $"There is no model '{modelId}' that you own." : null;
        }
        var config = storage.Container(StorageNames.ModelsContainer).GetBlobClient(StorageNames.BaseModelPrefix(baseModel) + "config.json");
        return (await config.ExistsAsync(ct)).Value
            ? null
            : $"There is no base model '{baseModel}' (models/{StorageNames.BaseModelPrefix(baseModel)}config.json); seed it with 'GpuRunner seed-base-model'.";
    }

    private static string Wire<T>(T value) where T : struct, Enum =>
        System.Text.Json.JsonSerializer.Serialize(value, PlatformJson.Options).Trim('"');
}
