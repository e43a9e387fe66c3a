using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace BertPlatform.Functions.OpenApi;

/// <summary>
/// Serves the API's OpenAPI 3.1 description (<c>/api/openapi.json</c>), a hand-written document embedded in the
/// assembly. Tests hold it to the routes the <c>[Function]</c> attributes declare and to real responses.
/// </summary>
public sealed class OpenApiFunctions
{
    public const string ResourceName = "openapi.json";

    [Function(nameof(GetOpenApiDocument))]
    public IActionResult GetOpenApiDocument(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "openapi.json")] HttpRequest request) =>
        new FileStreamResult(Open(), "application/json");

    public static Stream Open() =>
        typeof(OpenApiFunctions).Assembly.GetManifestResourceStream(ResourceName)
        ?? throw new InvalidOperationException($"The embedded resource '{ResourceName}' is missing from the build.");
}
