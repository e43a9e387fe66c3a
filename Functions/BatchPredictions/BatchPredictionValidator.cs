using BertPlatform.Functions.Http;
using BertPlatform.Functions.Jobs;
using BertPlatform.Shared.Contracts;

namespace BertPlatform.Functions.BatchPredictions;

/// <summary>Checks a batch prediction request's own values before anything is looked up.</summary>
public static class BatchPredictionValidator
{
    public const int MaxBatchSize = 1024;

    public static IReadOnlyList<FieldError> Validate(BatchPredictionSpec spec)
    {
        var errors = new List<FieldError>();
        CheckId(spec.Model, "model", errors);
        CheckId(spec.Dataset, "dataset", errors);
        if (spec.BatchSize is < 1 or > MaxBatchSize)
            errors.Add(new FieldError("batchSize", $"batchSize must be 1 to {MaxBatchSize}; got {spec.BatchSize}."));
        return errors;
    }

    private static void CheckId(string? value, string field, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(value)) errors.Add(new FieldError(field, $"{field} is required: the id of a {(field == "model" ? "published model" : "ready dataset")} of yours."));
        else if (value.Length > JobSpecValidator.MaxIdLength) errors.Add(new FieldError(field, $"{field} has {value.Length} characters; at most {JobSpecValidator.MaxIdLength} are allowed."));
        else if (value.Any(char.IsControl)) errors.Add(new FieldError(field, $"{field} contains control characters."));
    }
}
