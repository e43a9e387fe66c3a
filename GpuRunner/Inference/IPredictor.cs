using System.Text.Json.Nodes;

namespace BertPlatform.GpuRunner.Inference;

/// <summary>Turns a batch of JSON input records into one JSON result per record, for one kind of head.</summary>
public interface IPredictor
{
    /// <summary>The input fields this head reads, for error messages.</summary>
    string InputShape { get; }

    IReadOnlyList<JsonObject> Predict(IReadOnlyList<JsonObject> inputs);
}
