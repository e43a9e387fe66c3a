using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using BertPlatform.Functions.Http;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Inference;
using BertPlatform.Shared.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace BertPlatform.Functions.Predictions;

/// <summary>
/// <c>POST /api/models/{id}/predict</c>: runs a published model's <c>model.onnx</c> with ONNX Runtime on the
/// instance's CPU. Only the owner's models are found, as on every model route.
/// </summary>
public sealed class PredictFunctions(CallerIdentity caller, ModelRepository models, ModelSessionCache sessions, IOptions<PredictionOptions> options)
{
    [Function(nameof(Predict))]
    public async Task<IActionResult> Predict(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "models/{id}/predict")] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        if (caller.Resolve(request) is not { } owner) return Problems.Unauthorized();
        var limits = options.Value;
        var (body, problem) = await JsonBody.ReadAsync<PredictRequest>(request, limits.MaxRequestBytes, cancellationToken);
        if (problem is not null) return problem;
        if (body!.Inputs is not { Count: > 0 } inputs) return Problems.BadRequest("inputs", "inputs must be a non-empty array of input objects.");
        if (inputs.Count > limits.MaxBatchSize)
            return Problems.BadRequest("inputs", $"inputs holds {inputs.Count} inputs; at most {limits.MaxBatchSize} are accepted per request.");
        if (inputs.FindIndex(i => i is not JsonObject) is var bad and >= 0)
            return Problems.BadRequest($"inputs[{bad}]", $"inputs[{bad}] must be a JSON object.");
        if (body.TopK is < 1 or > 100) return Problems.BadRequest("topK", "topK must be between 1 and 100.");

        if (await models.GetAsync(owner, id, cancellationToken) is not { } model) return Problems.NotFound("model", id);
        if (!model.Files.Any(f => f.Path == ModelSessionCache.OnnxFile))
            return Problems.Conflict($"Model '{id}' has no {ModelSessionCache.OnnxFile} (it was published before ONNX export); export it with 'GpuRunner export-onnx' or train it again.");

        var clock = Stopwatch.StartNew();
        using var lease = await sessions.AcquireAsync(model, cancellationToken);
        var session = lease.Session;
        if (TaskPredictors.ForArchitecture(session.Config.Architecture) is not { } predictor)
            return Problems.Conflict($"Model '{id}' is a {session.Config.Architecture}, which the predict endpoint does not serve.");
        var loaded = clock.Elapsed;
        try
        {
            var settings = new PredictionSettings(body.TopK ?? 5, body.HandleImpossibleAnswer ?? false);
            var wrapped = inputs.Select((input, i) => new PredictionInput((JsonObject)input!, i, limits.MaxTextCharacters)).ToList();
            var predictions = predictor.Predict(session, wrapped, settings);
            return new OkObjectResult(new JsonObject
            {
                ["model"] = model.Id,
                ["task"] = JsonSerializer.SerializeToNode(model.Task, PlatformJson.Options),
                ["architecture"] = session.Config.Architecture,
                ["predictions"] = new JsonArray(predictions.Select(p => (JsonNode)p).ToArray()),
                ["loadMilliseconds"] = Math.Round(loaded.TotalMilliseconds, 1),
                ["inferenceMilliseconds"] = Math.Round((clock.Elapsed - loaded).TotalMilliseconds, 1),
            });
        }
        catch (PredictionInputException e)
        {
            return Problems.BadRequest(e.Field, $"{e.Message} Expected {predictor.InputShape}.");
        }
    }
}
