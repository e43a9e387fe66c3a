using BertPlatform.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace BertPlatform.Functions.WebConsole;

/// <summary>
/// The web console: static files embedded in this assembly (pages, scripts, styles and the chart library from
/// npm), served by the Functions app itself so the console is the same locally and in Azure and sits behind the
/// same function-key authentication as the API it calls.
/// </summary>
public sealed class ConsoleFunctions
{
    [Function(nameof(WebConsole))]
    public IActionResult WebConsole(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "console/{*path}")] HttpRequest request, string? path)
    {
        // The page's links are relative: /api/console must become /api/console/ for them to resolve under it.
        if (string.IsNullOrEmpty(path) && !request.Path.Value!.EndsWith('/'))
            return new RedirectResult(request.Path.Value + "/" + request.QueryString.Value);
        if (ConsoleAssets.Find(string.IsNullOrEmpty(path) ? "index.html" : path) is not { } asset)
            return Problems.NotFound("console file", path!);
        var headers = request.HttpContext.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        // Everything the console needs is served from here (no CDN): nothing else may load or run.
        headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'";
        return new FileStreamResult(asset.Open(), asset.ContentType);
    }
}
