using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using BertPlatform.Shared.Contracts;

namespace BertPlatform.Functions.Tests.OpenApi;

/// <summary>The hand-written OpenAPI document against the code: the routes the attributes declare, the request shapes and their defaults.</summary>
public sealed class OpenApiDocumentTests
{
    private readonly OpenApiContract contract = OpenApiContract.Load();

    [Fact]
    public void Every_function_route_is_documented_and_every_documented_route_exists()
    {
        var declared = OpenApiContract.DeclaredOperations();
        var documented = contract.DocumentedOperations();

        var undocumented = declared.Except(documented).Order().ToList();
        var phantom = documented.Except(declared).Order().ToList();
        Assert.True(undocumented.Count == 0, "Routes without an entry in Functions/OpenApi/openapi.json:\n  " + string.Join("\n  ", undocumented));
        Assert.True(phantom.Count == 0, "Documented routes no [Function] declares:\n  " + string.Join("\n  ", phantom));
        Assert.Contains("POST /jobs", declared);
    }

    [Fact]
    public void The_document_is_OpenAPI_3_1_with_function_key_authentication_and_problem_details()
    {
        var document = contract.Document;
        Assert.Equal("3.1.0", document["openapi"]!.GetValue<string>());
        var schemes = document["components"]!["securitySchemes"]!.AsObject();
        Assert.Equal("x-functions-key", schemes["functionKey"]!["name"]!.GetValue<string>());
        Assert.Equal("code", schemes["functionKeyQuery"]!["name"]!.GetValue<string>());
        // Every operation that can refuse a caller says so with a problem document.
        foreach (var (path, item) in document["paths"]!.AsObject())
        foreach (var (method, operation) in item!.AsObject().Where(o => o.Key != "parameters"))
        foreach (var (status, response) in operation!["responses"]!.AsObject().Where(r => r.Key.StartsWith('4') || r.Key.StartsWith('5')))
            Assert.True(response!["$ref"] is not null || response["content"]?["application/problem+json"] is not null, $"{method} {path} {status} is not a problem document");
    }

    public static TheoryData<string, object> RequestShapes => new()
    {
        { "Hyperparameters", new Hyperparameters() },
        { "QuestionAnsweringOptions", new QuestionAnsweringOptions() },
        { "PretrainingOptions", new PretrainingOptions() },
        { "TokenClassificationOptions", new TokenClassificationOptions() },
        { "ColumnMapping", new ColumnMapping() },
        { "JobSpec", new JobSpec() },
        { "BatchPredictionRequest", new BatchPredictionSpec() },
    };

    /// <summary>The console builds its job form from these schemas, so their defaults must be the API's own.</summary>
    [Theory]
    [MemberData(nameof(RequestShapes))]
    public void A_request_schema_has_the_properties_and_defaults_of_its_contract(string schemaName, object instance)
    {
        var schema = contract.Document["components"]!["schemas"]![schemaName]!["properties"]!.AsObject();
        var properties = instance.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetMethod is { IsStatic: false } && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).Order().ToList();
        Assert.Equal(properties, schema.Select(p => p.Key).Order().ToList());

        var actual = JsonSerializer.SerializeToNode(instance, instance.GetType(), PlatformJson.Options)!.AsObject();
        foreach (var (name, property) in schema)
        {
            // A JSON null default reads as a null node, hence TryGetPropertyValue rather than the indexer.
            if (!property!.AsObject().TryGetPropertyValue("default", out var documented))
            {
                Assert.True(property["$ref"] is not null || name == "trainingDataset" || name == "validationDataset" || name == "problemType"
                        || name == "model" || name == "dataset",
                    $"{schemaName}.{name} documents no default");
                continue;
            }
            var value = actual[name];
            if (documented?.GetValueKind() == JsonValueKind.Number)
                Assert.True(value is not null && value.GetValue<double>() == documented!.GetValue<double>(), $"{schemaName}.{name}: documented {documented}, the code says {value}");
            else
                Assert.True(JsonNode.DeepEquals(documented, value), $"{schemaName}.{name}: documented {documented?.ToJsonString() ?? "null"}, the code says {value?.ToJsonString() ?? "null"}");
        }
    }

    [Fact]
    public void The_contract_rejects_a_body_that_drifts_from_its_schema()
    {
        var job = contract.Document["components"]!["schemas"]!["Job"]!;
        var valid = JsonNode.Parse("""{"id":"job-1","owner":"local","spec":{"trainingDataset":"ds-1"},"status":"queued","createdAt":"2026-01-01T00:00:00Z","cancelRequested":false,"attempts":0}""");
        contract.AssertValid(job, valid, "a queued job");

        var renamed = valid!.DeepClone();
        renamed["state"] = "queued";
        Assert.Throws<Xunit.Sdk.XunitException>(() => contract.AssertValid(job, renamed, "an unknown property"));
        var badStatus = valid.DeepClone();
        badStatus["status"] = "paused";
        Assert.Throws<Xunit.Sdk.XunitException>(() => contract.AssertValid(job, badStatus, "a status outside the enum"));
    }

    [Fact]
    public void A_dataset_must_carry_what_its_status_promises()
    {
        var dataset = contract.Document["components"]!["schemas"]!["Dataset"]!;
        var awaiting = JsonNode.Parse("""{"id":"ds-1","owner":"local","name":"big","format":"csv","task":"text_classification","columns":{},"blobName":"local/ds-1/data.csv","bytes":0,"rowCount":0,"columnsFound":[],"labelCounts":{},"createdAt":"2026-01-01T00:00:00Z","status":"awaiting_upload","declaredBytes":10,"uploadExpiresAt":"2026-01-01T02:00:00Z"}""")!;
        contract.AssertValid(dataset, awaiting, "a direct upload awaiting its data");

        var noSize = awaiting.DeepClone();
        noSize.AsObject().Remove("declaredBytes");
        Assert.Throws<Xunit.Sdk.XunitException>(() => contract.AssertValid(dataset, noSize, "awaiting_upload without declaredBytes"));
        var invalid = awaiting.DeepClone();
        invalid["status"] = "invalid";
        Assert.Throws<Xunit.Sdk.XunitException>(() => contract.AssertValid(dataset, invalid, "invalid without errors"));
        invalid["errorCount"] = 1;
        invalid["errors"] = JsonNode.Parse("""[{"location":"row 2","column":"text","message":"empty"}]""");
        contract.AssertValid(dataset, invalid, "invalid with its errors");
    }
}
