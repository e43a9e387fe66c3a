using System.Globalization;
using System.Text.Json;

namespace BertPlatform.Shared.Inference;

/// <summary>What the endpoint needs from a published config.json, read without the runner's BertConfig (TorchSharp).</summary>
public sealed record PublishedModelConfig(string Architecture, IReadOnlyList<string> Labels, string? ProblemType, int MaxPositionEmbeddings)
{
    public const string SingleLabel = "single_label_classification";
    public const string MultiLabel = "multi_label_classification";
    public const string Regression = "regression";

    /// <summary>The problem type as transformers infers it when config.json names none.</summary>
    public string EffectiveProblemType => ProblemType ?? (Labels.Count == 1 ? Regression : SingleLabel);

    public static PublishedModelConfig Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var architecture = root.TryGetProperty("architectures", out var a) && a.ValueKind == JsonValueKind.Array && a.GetArrayLength() > 0
            ? a[0].GetString() ?? "" : throw new InvalidDataException("config.json names no architecture");
        var labels = new List<string>();
        if (root.TryGetProperty("id2label", out var id2Label) && id2Label.ValueKind == JsonValueKind.Object)
        {
            var byId = id2Label.EnumerateObject().ToDictionary(p => int.Parse(p.Name, CultureInfo.InvariantCulture), p => p.Value.GetString() ?? p.Name);
            labels.AddRange(Enumerable.Range(0, byId.Count).Select(i => byId.TryGetValue(i, out var name) ? name : $"LABEL_{i}"));
        }
        var problemType = root.TryGetProperty("problem_type", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        var positions = root.TryGetProperty("max_position_embeddings", out var m) ? m.GetInt32() : 512;
        return new PublishedModelConfig(architecture, labels, problemType, positions);
    }
}
