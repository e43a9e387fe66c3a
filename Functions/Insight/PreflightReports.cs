using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Insight;
using BertPlatform.Shared.Storage;
using BertPlatform.Shared.Tasks;
using Microsoft.Extensions.Options;

namespace BertPlatform.Functions.Insight;

/// <summary>
/// Computes a pre-flight report from stored datasets: each blob is read lazily, so a report on a dataset larger
/// than <see cref="PreflightLimits.MaxExamples"/> downloads only the part it analyses.
/// </summary>
public sealed class PreflightReports(StorageClients storage, BaseModelTokenizers tokenizers, IOptions<ApiOptions> options)
{
    /// <summary>The report, or the problem with the base model (field <c>baseModel</c>).</summary>
    public async Task<(PreflightReport? Report, string? Problem)> CreateAsync(
        string owner, string baseModel, DatasetRecord training, DatasetRecord? validation, PreflightSettings settings, ColumnMapping columns,
        CancellationToken ct, IReadOnlyList<(string Name, DatasetRecord Dataset)>? validationSets = null)
    {
        var (tokenizer, problem) = await tokenizers.GetAsync(owner, baseModel, ct);
        if (tokenizer is null) return (null, problem);
        await using var trainingStream = await OpenAsync(training, ct);
        await using var validationStream = validation is null ? null : await OpenAsync(validation, ct);
        var setStreams = new List<Stream>();
        try
        {
            var data = TaskCatalog.For(settings.Task);
            var problemType = settings.ProblemType;
            var sets = new List<PreflightValidationSet>();
            foreach (var (name, dataset) in validationSets ?? [])
            {
                var stream = await OpenAsync(dataset, ct);
                setStreams.Add(stream);
                sets.Add(new PreflightValidationSet(name, dataset.Id, data.ReadPreflight(stream, dataset.Format, columns, problemType)));
            }
            var input = new PreflightInput(baseModel, training.Id, data.ReadPreflight(trainingStream, training.Format, columns, problemType),
                validation?.Id, validationStream is null ? null : data.ReadPreflight(validationStream, validation!.Format, columns, problemType), sets);
            // Tokenizing is CPU work over blocking reads: off the request's thread.
            var report = await Task.Run(() => PreflightAnalyzer.Analyze(input, tokenizer, settings, options.Value.GpuProfile), ct);
            return (report, null);
        }
        finally
        {
            foreach (var stream in setStreams) await stream.DisposeAsync();
        }
    }

    private Task<Stream> OpenAsync(DatasetRecord dataset, CancellationToken ct) =>
        storage.Container(StorageNames.DatasetsContainer).GetBlobClient(dataset.BlobName).OpenReadAsync(cancellationToken: ct);
}
