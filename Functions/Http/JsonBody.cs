using System.Text.Json;
using BertPlatform.Shared.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace BertPlatform.Functions.Http;

/// <summary>Reads a size-limited JSON body; a bad body becomes a problem naming the field the parser choked on.</summary>
public static class JsonBody
{
    public static async Task<(T? Value, IActionResult? Problem)> ReadAsync<T>(HttpRequest request, int maxBytes, CancellationToken ct)
        where T : class
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes) return (null, Problems.TooLarge("body", maxBytes));
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0) return (null, Problems.BadRequest("body", "The request body is empty; send a JSON object."));
        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.ToArray(), PlatformJson.Options);
            return value is null
                ? (null, Problems.BadRequest("body", "The request body is null; send a JSON object."))
                : (value, null);
        }
        catch (JsonException e)
        {
            return (null, Problems.BadRequest(FieldOf(e.Path), "Malformed JSON: " + e.Message, "The request body is not valid JSON for this endpoint."));
        }
    }

    /// <summary><c>$.hyperparameters.epochs</c> → <c>hyperparameters.epochs</c>; the root is the body itself.</summary>
    private static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
}
