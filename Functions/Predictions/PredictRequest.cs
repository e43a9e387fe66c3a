using System.Text.Json.Nodes;

namespace BertPlatform.Functions.Predictions;

/// <summary>The body of <c>POST /api/models/{id}/predict</c>: the inputs in the model's task shape, and options.</summary>
public sealed record PredictRequest
{
    public List<JsonNode?>? Inputs { get; init; }

    /// <summary>Fill-mask: how many tokens to return per mask (1-100, default 5).</summary>
    public int? TopK { get; init; }

    /// <summary>Question answering: let the null answer compete (models trained on SQuAD 2.0 style data).</summary>
    public bool? HandleImpossibleAnswer { get; init; }
}
