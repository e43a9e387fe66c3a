using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using BertPlatform.Functions.Tests.OpenApi;
using BertPlatform.Shared.Contracts;

namespace BertPlatform.Integration.Tests.Tasks;

/// <summary>Submits batch predictions and downloads their predictions the way a client does, each answer held to the OpenAPI document.</summary>
public static class BatchPredictions
{
    private static readonly Lazy<OpenApiContract> contract = new(OpenApiContract.Load);

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, object request)
    {
        var response = await client.PostAsJsonAsync("api/batch-predictions", request);
        await contract.Value.AssertMatchesAsync(response, "POST", "/batch-predictions");
        return response;
    }

    public static async Task<JobRecord> SubmitAsync(HttpClient client, object request)
    {
        var response = await PostAsync(client, request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"batch prediction answered {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<JobRecord>(body, PlatformJson.Options)!;
    }

    public static async Task<HttpResponseMessage> GetPredictionsAsync(HttpClient client, string jobId)
    {
        var response = await client.GetAsync($"api/jobs/{jobId}/predictions");
        await contract.Value.AssertMatchesAsync(response, "GET", "/jobs/{id}/predictions");
        return response;
    }

    /// <summary>The predictions of a succeeded job, one object per line.</summary>
    public static async Task<IReadOnlyList<JsonObject>> DownloadAsync(HttpClient client, string jobId)
    {
        var response = await GetPredictionsAsync(client, jobId);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"predictions answered {(int)response.StatusCode}: {text}");
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
    }

    /// <summary>
    /// The runner (TorchSharp) and the endpoint (ONNX Runtime) give the same answer: equal strings, integers and
    /// structure, and numbers within <paramref name="tolerance"/> (two float32 engines do not round alike).
    /// </summary>
    public static void AssertSameAnswer(JsonNode? expected, JsonNode? actual, string where, double tolerance = 1e-4)
    {
        switch (expected)
        {
            case null:
                Assert.True(actual is null, $"{where}: expected null, got {actual?.ToJsonString()}");
                break;
            case JsonObject o:
                Assert.True(actual is JsonObject, $"{where}: expected an object, got {actual?.ToJsonString()}");
                Assert.Equal(o.Select(p => p.Key).Order(), actual!.AsObject().Select(p => p.Key).Order());
                foreach (var (key, value) in o) AssertSameAnswer(value, actual[key], $"{where}.{key}", tolerance);
                break;
            case JsonArray a:
                Assert.True(actual is JsonArray b && b.Count == a.Count, $"{where}: expected {a.ToJsonString()}, got {actual?.ToJsonString()}");
                for (var i = 0; i < a.Count; i++) AssertSameAnswer(a[i], actual![i], $"{where}[{i}]", tolerance);
                break;
            default:
                if (expected.GetValueKind() == JsonValueKind.Number && actual?.GetValueKind() == JsonValueKind.Number)
                    Assert.True(Math.Abs(expected.GetValue<double>() - actual.GetValue<double>()) <= tolerance, $"{where}: {expected} vs {actual}");
                else
                    Assert.True(JsonNode.DeepEquals(expected, actual), $"{where}: expected {expected.ToJsonString()}, got {actual?.ToJsonString()}");
                break;
        }
    }
}
