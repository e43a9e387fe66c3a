using BertPlatform.Functions.Http;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Insight;
using BertPlatform.Shared.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace BertPlatform.Functions.Insight;

/// <summary>
/// <c>GET /api/datasets/{id}/report</c>: the pre-flight report of a dataset against a base model before any job,
/// of any task, optionally with a validation dataset (leakage), the batch size and epochs of the job in mind
/// (estimate) and, for QA, its docStride and maxQuestionLength (windows).
/// </summary>
public sealed class DatasetReportFunction(CallerIdentity caller, DatasetRepository datasets, PreflightReports reports)
{
    [Function(nameof(GetDatasetReport))]
    public async Task<IActionResult> GetDatasetReport(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "datasets/{id}/report")] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        if (caller.Resolve(request) is not { } owner) return Problems.Unauthorized();
        if (await datasets.GetAsync(owner, id, cancellationToken) is not { } dataset) return Problems.NotFound("dataset", id);
        if (dataset.Status != DatasetStatus.Ready) return Problems.BadRequest("id", $"Dataset '{id}' is not ready ({dataset.Status}).");

        var defaults = Hyperparameters.Default;
        if (Integer(request, "maxSequenceLength", defaults.MaxSequenceLength, 8, 512) is not { } maxLength) return Invalid(request, "maxSequenceLength", 8, 512);
        if (Integer(request, "batchSize", defaults.BatchSize, 1, 1024) is not { } batchSize) return Invalid(request, "batchSize", 1, 1024);
        if (Integer(request, "epochs", defaults.Epochs, 1, 100) is not { } epochs) return Invalid(request, "epochs", 1, 100);
        var qaDefaults = new QuestionAnsweringOptions();
        int? docStride = null; // absent: the options' default for the window length
        if (request.Query.ContainsKey("docStride") && (docStride = Integer(request, "docStride", 0, 1, 512)) is null) return Invalid(request, "docStride", 1, 512);
        if (Integer(request, "maxQuestionLength", qaDefaults.MaxQuestionLength, 1, 512) is not { } maxQuestionLength) return Invalid(request, "maxQuestionLength", 1, 512);
        var baseModel = request.Query.TryGetValue("baseModel", out var name) && !string.IsNullOrWhiteSpace(name) ? name.ToString() : new JobSpec().BaseModel;

        DatasetRecord? validation = null;
        if (request.Query.TryGetValue("validationDataset", out var validationId) && !string.IsNullOrEmpty(validationId))
        {
            validation = await datasets.GetAsync(owner, validationId!, cancellationToken);
            if (validation is null) return Problems.BadRequest("validationDataset", $"There is no dataset '{validationId}' that you own.");
            if (validation.Task != dataset.Task || validation.Status != DatasetStatus.Ready)
                return Problems.BadRequest("validationDataset", $"Dataset '{validationId}' is not a ready {dataset.Task} dataset.");
        }

        var settings = new PreflightSettings(dataset.Task, defaults with { MaxSequenceLength = maxLength, BatchSize = batchSize, Epochs = epochs },
            dataset.ProblemType, qaDefaults with { DocStride = docStride, MaxQuestionLength = maxQuestionLength });
        var (report, problem) = await reports.CreateAsync(owner, baseModel, dataset, validation, settings, dataset.Columns, cancellationToken);
        return report is null ? Problems.BadRequest("baseModel", problem!) : new OkObjectResult(report);
    }

    private static int? Integer(HttpRequest request, string name, int fallback, int min, int max)
    {
        if (!request.Query.TryGetValue(name, out var text) || string.IsNullOrEmpty(text)) return fallback;
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value : null;
    }

    private static ObjectResult Invalid(HttpRequest request, string name, int min, int max) =>
        Problems.BadRequest(name, $"'{name}' must be a whole number from {min} to {max}; got '{request.Query[name]}'.");
}
