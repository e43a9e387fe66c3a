using BertPlatform.Shared.Datasets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace BertPlatform.Functions.Http;

/// <summary>
/// RFC 7807 problem details. Every client error names the offending <c>field</c> (a JSON path like
/// <c>hyperparameters.learningRate</c>, a query parameter, or <c>body</c>) so a client can point at it.
/// </summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    public static ObjectResult BadRequest(string field, string detail, string title = "The request is not valid.") =>
        Create(StatusCodes.Status400BadRequest, title, detail, field);

    public static ObjectResult NotFound(string what, string id) =>
        Create(StatusCodes.Status404NotFound, $"No such {what}.", $"There is no {what} '{id}' that you own.", null);

    public static ObjectResult Conflict(string detail) => Create(StatusCodes.Status409Conflict, "Conflict.", detail, null);

    public static ObjectResult Unauthorized() =>
        Create(StatusCodes.Status401Unauthorized, "Who is calling?",
            $"The request carries no usable identity: sign in, or call with a function key (a user id may have at most {BertPlatform.Shared.Storage.StorageNames.MaxOwnerLength} characters).", null);

    public static ObjectResult TooLarge(string field, long limit) =>
        Create(StatusCodes.Status413PayloadTooLarge, "The request body is too large.", $"At most {limit} bytes are accepted.", field);

    /// <summary>A body over what one HTTP request may carry: the problem says where large files go instead.</summary>
    public static ObjectResult TooLargeForHttp(long limit) =>
        With(Create(StatusCodes.Status413PayloadTooLarge, "The file is too large for an HTTP upload.",
            $"At most {limit} bytes are accepted in one request. Upload larger files straight to Blob Storage: " +
            "POST /api/datasets/uploads with {name, format, task, bytes}, PUT the file's blocks to the returned SAS URL, " +
            "then POST /api/datasets/{id}/complete.", "body"), "directUpload", "/api/datasets/uploads");

    public static ObjectResult UnsupportedMediaType(string detail) =>
        Create(StatusCodes.Status415UnsupportedMediaType, "The content type cannot hold a dataset.", detail, "Content-Type");

    public static ObjectResult Unavailable(string detail) =>
        Create(StatusCodes.Status503ServiceUnavailable, "Try again later.", detail, null);

    public static ObjectResult FieldErrors(IReadOnlyList<FieldError> errors, string title) =>
        With(BadRequest(errors[0].Field, errors[0].Message, title), "errors", errors);

    /// <summary>An invalid dataset: row-level errors from validation, nothing stored.</summary>
    public static ObjectResult InvalidDataset(ValidationReport report)
    {
        var result = BadRequest("body",
            $"The dataset has {report.ErrorCount} error(s) in {report.RowCount} row(s); nothing was stored.",
            "The dataset is not valid.");
        With(result, "rowCount", report.RowCount);
        With(result, "errorCount", report.ErrorCount);
        return With(result, "errors", report.Errors);
    }

    private static ObjectResult Create(int status, string title, string detail, string? field)
    {
        var problem = new ProblemDetails
        {
            Type = $"https://httpstatuses.io/{status}",
            Title = title,
            Status = status,
            Detail = detail,
        };
        if (field is not null) problem.Extensions["field"] = field;
        var result = new ObjectResult(problem) { StatusCode = status };
        result.ContentTypes.Add(ContentType);
        return result;
    }

    private static ObjectResult With(ObjectResult result, string name, object value)
    {
        ((ProblemDetails)result.Value!).Extensions[name] = value;
        return result;
    }
}

/// <summary>One thing wrong with a request: which field and why.</summary>
public sealed record FieldError(string Field, string Message);
