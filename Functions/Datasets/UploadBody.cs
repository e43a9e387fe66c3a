using BertPlatform.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace BertPlatform.Functions.Datasets;

/// <summary>
/// The file inside an upload request: the raw body, or the one file part of a <c>multipart/form-data</c> body (what
/// a browser form or <c>curl -F file=@data.csv</c> sends), streamed either way. Form fields before the file part
/// may carry the metadata (<c>name</c>, <c>format</c>, <c>task</c> ...). A content type that cannot hold a text
/// dataset (an image, a PDF, a zip, an urlencoded form) is refused before anything is read.
/// </summary>
public sealed class UploadBody
{
    /// <summary>Form fields are metadata, not data: a few short values.</summary>
    public const int MaxFormFieldBytes = 4 * 1024;

    public const int MaxFormFields = 32;

    private static readonly string[] TextMediaTypes =
    [
        "application/json", "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines",
        "application/jsonlines", "application/csv", "application/octet-stream",
    ];

    private readonly MultipartReader? multipart;

    private UploadBody(Stream file, MultipartReader? multipart, IReadOnlyDictionary<string, string> formFields)
    {
        File = file;
        this.multipart = multipart;
        FormFields = formFields;
    }

    /// <summary>The file's bytes, read once.</summary>
    public Stream File { get; }

    /// <summary>Metadata sent as form fields before the file part (empty for a raw body).</summary>
    public IReadOnlyDictionary<string, string> FormFields { get; }

    public static async Task<(UploadBody? Body, IActionResult? Problem)> OpenAsync(HttpRequest request, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(request.ContentType)) return (new UploadBody(request.Body, null, Empty), null);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) || contentType.MediaType.Value is not { } mediaType)
            return (null, Problems.UnsupportedMediaType($"The content type '{request.ContentType}' cannot be parsed."));
        if (mediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)) return await OpenFormAsync(contentType, request, ct);
        if (mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase) || TextMediaTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
            return (new UploadBody(request.Body, null, Empty), null);
        return (null, Problems.UnsupportedMediaType(
            $"A dataset is text (csv, tsv, jsonl, conll, squad json, plain text); '{mediaType}' cannot be one. Send the file as the raw body " +
            "(text/csv, application/x-ndjson, application/json, text/plain, application/octet-stream) or as the one file part of multipart/form-data."));
    }

    /// <summary>
    /// After the file part has been read to its end: a second file part means the client meant to send several
    /// datasets in one request, which would silently store only the first.
    /// </summary>
    public async Task<string?> ExtraPartProblemAsync(CancellationToken ct)
    {
        if (multipart is null) return null;
        while (await multipart.ReadNextSectionAsync(ct) is { } section)
        {
            if (section.GetContentDispositionHeader() is { } disposition && disposition.IsFileDisposition())
                return $"The form has a second file part ('{disposition.FileName.Value ?? disposition.FileNameStar.Value}'); upload one file per request.";
        }
        return null;
    }

    private static async Task<(UploadBody?, IActionResult?)> OpenFormAsync(MediaTypeHeaderValue contentType, HttpRequest request, CancellationToken ct)
    {
        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
        if (string.IsNullOrWhiteSpace(boundary))
            return (null, Problems.BadRequest("body", "The multipart/form-data body has no boundary parameter."));
        // The file part is streamed, so the reader's default cap on one section (128 MiB) does not apply here; the
        // staging stream counts the bytes against the upload limit instead.
        var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = null };
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                var disposition = section.GetContentDispositionHeader();
                if (disposition is null) continue;
                if (disposition.IsFileDisposition()) return (new UploadBody(section.Body, reader, fields), null);
                if (!disposition.IsFormDisposition()) continue;
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (fields.Count >= MaxFormFields)
                    return (null, Problems.BadRequest(name, $"The form has more than {MaxFormFields} fields before its file part."));
                var value = await ReadFieldAsync(section.Body, ct);
                if (value is null) return (null, Problems.BadRequest(name, $"The form field '{name}' is longer than {MaxFormFieldBytes} bytes; form fields carry metadata only."));
                fields[name] = value;
            }
        }
        catch (InvalidDataException e)
        {
            return (null, Problems.BadRequest("body", "The multipart/form-data body is malformed: " + e.Message));
        }
        return (null, Problems.BadRequest("body", "The multipart/form-data body has no file part; add the dataset as a file (curl -F file=@data.csv)."));
    }

    private static async Task<string?> ReadFieldAsync(Stream body, CancellationToken ct)
    {
        var buffer = new byte[MaxFormFieldBytes + 1];
        var length = 0;
        int read;
        while ((read = await body.ReadAsync(buffer.AsMemory(length), ct)) > 0)
        {
            length += read;
            if (length > MaxFormFieldBytes) return null;
        }
        return System.Text.Encoding.UTF8.GetString(buffer, 0, length);
    }

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();
}
