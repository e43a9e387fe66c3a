using BertPlatform.Shared.Tokenization;

namespace BertPlatform.Shared.Inference;

/// <summary>
/// A published model ready to run: its tokenizer, config and forward pass. The predict endpoint runs model.onnx on
/// ONNX Runtime, the runner's batch predictions run model.safetensors on TorchSharp; the task predictors turn either's
/// logits into the same answers.
/// </summary>
public interface IBertInference
{
    BertTextTokenizer Tokenizer { get; }

    PublishedModelConfig Config { get; }

    /// <summary>The longest sequence the model takes: the tokenizer's limit capped by the position table.</summary>
    int MaxLength { get; }

    /// <summary>
    /// Runs <paramref name="groups"/> of encodings: one group per row for 2-D models, a group of choices per row
    /// ([batch, choices, tokens]) when <paramref name="choices"/>. Encodings are right-padded to the longest. Returns each
    /// named output (<c>logits</c>, <c>start_logits</c>, <c>end_logits</c>), row-major, with the padded length.
    /// </summary>
    (Dictionary<string, float[]> Outputs, int Tokens) Run(IReadOnlyList<IReadOnlyList<BertEncoding>> groups, bool choices, params string[] outputNames);
}
