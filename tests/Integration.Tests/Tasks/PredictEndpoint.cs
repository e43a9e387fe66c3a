using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BertPlatform.Functions.Tests.OpenApi;
using BertPlatform.Integration.Tests.Console;

namespace BertPlatform.Integration.Tests.Tasks;

/// <summary>Calls <c>POST /api/models/{id}/predict</c> (ONNX Runtime in the Functions app) the way a client does.</summary>
public static class PredictEndpoint
{
    // Every answer the tests get, success or problem, is also held to what the OpenAPI document promises for the route.
    private static readonly Lazy<OpenApiContract> contract = new(OpenApiContract.Load);

    public static async Task<IReadOnlyList<JsonObject>> PredictAsync(HttpClient client, string modelId, IEnumerable<object> inputs, object? options = null)
    {
        var response = await PostAsync(client, modelId, inputs, options);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"predict answered {(int)response.StatusCode}: {text}");
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(modelId, body["model"]!.GetValue<string>());
        return body["predictions"]!.AsArray().Select(p => p!.AsObject()).ToList();
    }

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string modelId, IEnumerable<object> inputs, object? options = null)
    {
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(options ?? new { }))!.AsObject();
        body["inputs"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(inputs));
        var response = await client.PostAsJsonAsync($"api/models/{modelId}/predict", body);
        await contract.Value.AssertMatchesAsync(response, "POST", "/models/{id}/predict");
        return response;
    }

    /// <summary>The problem's <c>field</c> of a refused request, after checking its status.</summary>
    public static async Task<string> ProblemFieldAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["field"]?.GetValue<string>() ?? "";
    }

    public static List<string> Strings(JsonNode? array) => array!.AsArray().Select(t => t!.GetValue<string>()).ToList();
}
