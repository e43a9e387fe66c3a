using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using BertPlatform.Functions.LocalHost;
using BertPlatform.Functions.OpenApi;
using Json.Schema;

namespace BertPlatform.Functions.Tests.OpenApi;

/// <summary>
/// The OpenAPI document as a test oracle: its operations, and its schemas as JSON Schema 2020-12 (OpenAPI 3.1's
/// dialect) to hold real responses to.
/// </summary>
public sealed class OpenApiContract
{
    private static readonly string[] HttpMethods = ["get", "put", "post", "delete", "patch", "head", "options"];

    public JsonObject Document { get; }

    private OpenApiContract(JsonObject document) => Document = document;

    public static OpenApiContract Load()
    {
        using var stream = OpenApiFunctions.Open();
        return new OpenApiContract(JsonNode.Parse(stream)!.AsObject());
    }

    /// <summary><c>GET /models/{id}/files/{path}</c> for every operation the document describes.</summary>
    public IReadOnlySet<string> DocumentedOperations() =>
        (from path in Document["paths"]!.AsObject()
         from method in path.Value!.AsObject().Select(p => p.Key).Where(HttpMethods.Contains)
         select $"{method.ToUpperInvariant()} {path.Key}").ToHashSet();

    /// <summary>The same form for every route an <c>[HttpTrigger]</c> declares (a catch-all <c>{*path}</c> is <c>{path}</c>).</summary>
    public static IReadOnlySet<string> DeclaredOperations() =>
        (from route in FunctionEndpoints.Discover(typeof(ApiServices).Assembly)
         from method in route.Methods
         select $"{method} /{route.Route.Replace("{*", "{", StringComparison.Ordinal)}").ToHashSet();

    /// <summary>Fails unless the status is documented for the operation and the body validates against its schema.</summary>
    public async Task AssertMatchesAsync(HttpResponseMessage response, string method, string pathTemplate)
    {
        var operation = Document["paths"]?[pathTemplate]?[method.ToLowerInvariant()]
            ?? throw new Xunit.Sdk.XunitException($"{method} {pathTemplate} is not documented.");
        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var documented = operation["responses"]?[status]
            ?? throw new Xunit.Sdk.XunitException($"{method} {pathTemplate} answered {status}, which the document does not list: {await response.Content.ReadAsStringAsync()}");
        documented = Resolve(documented);
        var body = await response.Content.ReadAsStringAsync();
        if (body.Length == 0)
        {
            Assert.True(documented["content"] is null, $"{method} {pathTemplate} {status}: the document promises content, the body is empty.");
            return;
        }
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        var schema = documented["content"]?[mediaType]?["schema"]
            ?? throw new Xunit.Sdk.XunitException($"{method} {pathTemplate} {status} answered {mediaType}, which the document does not list.");
        // Anything but one JSON document (HTML, scripts, files, JSON Lines) is a string to its schema.
        var instance = mediaType.EndsWith("json", StringComparison.Ordinal) && mediaType != "application/x-ndjson" ? JsonNode.Parse(body) : JsonValue.Create(body);
        AssertValid(schema, instance, $"{method} {pathTemplate} {status}");
    }

    /// <summary>Validates <paramref name="json"/> against a schema of the document (its $refs resolve into components).</summary>
    public void AssertValid(JsonNode schema, JsonNode? instance, string what)
    {
        var wrapper = schema.DeepClone().AsObject();
        wrapper["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        wrapper["$defs"] = Document["components"]!["schemas"]!.DeepClone();
        var text = wrapper.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        var result = JsonSchema.FromText(text).Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid) return;
        var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"  {d.InstanceLocation} ({d.EvaluationPath}): {e.Value}"));
        var json = instance?.ToJsonString() ?? "null";
        throw new Xunit.Sdk.XunitException($"{what}: the body does not match the documented schema:\n{string.Join('\n', errors.Take(20))}\n{json[..Math.Min(json.Length, 2000)]}");
    }

    private JsonNode Resolve(JsonNode node)
    {
        while (node["$ref"]?.GetValue<string>() is { } reference)
        {
            var target = (JsonNode?)Document;
            foreach (var part in reference.TrimStart('#', '/').Split('/')) target = target?[part];
            node = target ?? throw new Xunit.Sdk.XunitException($"The document's {reference} does not resolve.");
        }
        return node;
    }

    public static MediaTypeHeaderValue Csv => new("text/csv");
}
