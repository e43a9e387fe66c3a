using System.Text.Json;
using BertPlatform.Functions.Http;
using BertPlatform.Functions.Jobs;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Inference;
using BertPlatform.Shared.Storage;
using BertPlatform.Shared.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace BertPlatform.Functions.BatchPredictions;

/// <summary>
/// Batch predictions: <c>POST /api/batch-predictions</c> queues a job (kind <c>batch_prediction</c>) that runs a
/// published model over a dataset on a runner; from then on it is a job like any other (<c>/api/jobs/{id}</c>, its
/// events, cancel, delete), and <c>GET /api/jobs/{id}/predictions</c> streams its predictions once it has succeeded.
/// </summary>
public sealed class BatchPredictionFunctions(
    CallerIdentity caller, JobRepository jobs, DatasetRepository datasets, ModelRepository models, StorageClients storage,
    JobSubmission submission, IOptions<ApiOptions> options)
{
    [Function(nameof(SubmitBatchPrediction))]
    public async Task<IActionResult> SubmitBatchPrediction(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "batch-predictions")] HttpRequest request, CancellationToken cancellationToken)
    {
        if (caller.Resolve(request) is not { } owner) return Problems.Unauthorized();
        var (spec, problem) = await JsonBody.ReadAsync<BatchPredictionSpec>(request, options.Value.MaxJsonBytes, cancellationToken);
        if (spec is null) return problem!;
        if (BatchPredictionValidator.Validate(spec) is { Count: > 0 } errors) return Problems.FieldErrors(errors, "The batch prediction request is not valid.");

        if (await models.GetAsync(owner, spec.Model, cancellationToken) is not { } model)
            return Problems.BadRequest("model", $"There is no model '{spec.Model}' that you own.");
        if (model.Task == TaskType.Pretraining)
            return Problems.BadRequest("model", $"Model '{model.Id}' is a pre-trained model (masked LM) with nothing to score a dataset on; " +
                                                $"fill masks with POST /api/models/{model.Id}/predict, or fine-tune it and run the fine-tuned model.");
        if (await datasets.GetAsync(owner, spec.Dataset, cancellationToken) is not { } dataset)
            return Problems.BadRequest("dataset", $"There is no dataset '{spec.Dataset}' that you own.");
        if (dataset.Status != DatasetStatus.Ready)
            return Problems.BadRequest("dataset", $"Dataset '{dataset.Id}' is {Wire(dataset.Status)}, not ready; only a validated dataset can be predicted on.");
        if (dataset.Task != model.Task)
            return Problems.BadRequest("dataset", $"Dataset '{dataset.Id}' holds {Wire(dataset.Task)} data, but model '{model.Id}' was trained for {Wire(model.Task)}; upload the inputs as a {Wire(model.Task)} dataset.");
        if (model.Task == TaskType.TextClassification && !dataset.Unlabeled && await ProblemTypeMismatchAsync(model, dataset, cancellationToken) is { } mismatch)
            return Problems.BadRequest("dataset", mismatch);

        var columns = spec.Columns ?? dataset.Columns;
        var queued = spec with
        {
            Columns = columns,
            // A dataset with unanswerable questions is scored as SQuAD 2.0, so the null answer must be allowed to win.
            HandleImpossibleAnswer = spec.HandleImpossibleAnswer ?? dataset.LabelCounts.GetValueOrDefault(QuestionAnsweringData.NoAnswer) > 0,
        };
        var jobSpec = new JobSpec
        {
            Task = model.Task, BaseModel = "model:" + model.Id, TrainingDataset = dataset.Id, Columns = columns, ProblemType = dataset.ProblemType,
        };
        return await submission.QueueAsync(
            new JobRecord { Id = Ids.New("job"), Owner = owner, Kind = JobKind.BatchPrediction, Spec = jobSpec, BatchPrediction = queued },
            $"Queued a batch prediction of model {model.Id} over dataset {dataset.Id} ({dataset.RowCount} records).", cancellationToken);
    }

    /// <summary>Streams a succeeded batch prediction's JSON Lines: one answer per dataset record, in the dataset's order.</summary>
    [Function(nameof(DownloadPredictions))]
    public async Task<IActionResult> DownloadPredictions(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "jobs/{id}/predictions")] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        if (caller.Resolve(request) is not { } owner) return Problems.Unauthorized();
        if (await jobs.GetAsync(owner, id, cancellationToken) is not { } job) return Problems.NotFound("job", id);
        if (job.Kind != JobKind.BatchPrediction) return Problems.NotFound("batch prediction job", id);
        if (job.Status != JobStatus.Succeeded || job.Output is not { } output)
            return Problems.Conflict($"Job '{id}' is {Wire(job.Status)}; its predictions can be downloaded once it has succeeded.");
        var blob = storage.Container(StorageNames.PredictionsContainer).GetBlobClient(output.BlobName);
        var content = await blob.OpenReadAsync(cancellationToken: cancellationToken);
        return new FileStreamResult(content, "application/x-ndjson") { FileDownloadName = $"predictions-{id}.jsonl" };
    }

    /// <summary>A dataset's labels are read as its problem type says: scores cannot score a classifier, nor names a regressor.</summary>
    private async Task<string?> ProblemTypeMismatchAsync(ModelRecord model, DatasetRecord dataset, CancellationToken ct)
    {
        var config = await storage.Container(StorageNames.ModelsContainer).GetBlobClient(model.BlobPrefix + "config.json").DownloadContentAsync(ct);
        var modelProblem = PublishedModelConfig.Parse(config.Value.Content.ToString()).EffectiveProblemType;
        var datasetProblem = Wire(dataset.ProblemType ?? ProblemType.SingleLabelClassification);
        return modelProblem == datasetProblem ? null
            : $"Dataset '{dataset.Id}' was uploaded as {datasetProblem}, but model '{model.Id}' does {modelProblem}; upload the inputs with problemType={modelProblem}.";
    }

    private static string Wire<T>(T value) where T : struct, Enum => JsonSerializer.Serialize(value, PlatformJson.Options).Trim('"');
}
