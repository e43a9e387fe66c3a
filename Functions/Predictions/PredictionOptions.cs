namespace BertPlatform.Functions.Predictions;

/// <summary>Limits of <c>POST /api/models/{id}/predict</c> (configuration section <c>Predictions</c>).</summary>
public sealed class PredictionOptions
{
    public const string Section = "Predictions";

    /// <summary>Most inputs in one request.</summary>
    public int MaxBatchSize { get; set; } = 32;

    /// <summary>Longest text field (characters) of one input; longer inputs are refused, not silently cut.</summary>
    public int MaxTextCharacters { get; set; } = 20_000;

    /// <summary>Largest request body, in bytes.</summary>
    public int MaxRequestBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Total size of the ONNX models kept loaded by one instance; the least recently used go first.</summary>
    public long ModelCacheBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Threads ONNX Runtime uses inside one operator; 0 lets it choose (one per core).</summary>
    public int IntraOpThreads { get; set; }
}
