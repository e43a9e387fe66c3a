namespace BertPlatform.GpuRunner.Checkpoints;

/// <summary>
/// Maps the tensor names found in real BERT checkpoints onto this implementation's state_dict names, following
/// transformers' loader: legacy LayerNorm gamma/beta, a missing <c>bert.</c> prefix (base BertModel files),
/// position_ids buffers, and the tied decoder aliases of the masked-LM head.
/// </summary>
public static class CheckpointKeys
{
    public const string BasePrefix = "bert.";
    public const string TiedDecoderWeight = "cls.predictions.decoder.weight";
    public const string TiedDecoderBias = "cls.predictions.decoder.bias";
    public const string DecoderBias = "cls.predictions.bias";

    /// <summary>
    /// Renames <paramref name="checkpoint"/> keys for a model whose state_dict keys are <paramref name="modelKeys"/>.
    /// Returns the tensors to load by model name; tensors dropped on purpose (position_ids, tied aliases) are disposed.
    /// </summary>
    public static Dictionary<string, TorchSharp.torch.Tensor> Normalize(
        IReadOnlyDictionary<string, TorchSharp.torch.Tensor> checkpoint, IReadOnlySet<string> modelKeys)
    {
        // A base BertModel checkpoint has no "bert." prefix; a task model expects it everywhere under its encoder.
        var addPrefix = !checkpoint.Keys.Any(k => k.StartsWith(BasePrefix, StringComparison.Ordinal))
            && modelKeys.Any(k => k.StartsWith(BasePrefix, StringComparison.Ordinal));
        var hasTiedHead = modelKeys.Contains(DecoderBias);
        var renamed = new Dictionary<string, TorchSharp.torch.Tensor>(StringComparer.Ordinal);
        foreach (var (original, tensor) in checkpoint)
        {
            var name = LegacyLayerNorm(original);
            if (addPrefix) name = BasePrefix + name;
            if (name.EndsWith("position_ids", StringComparison.Ordinal))
            {
                tensor.Dispose(); // a non-persistent buffer in newer transformers; nothing to load
                continue;
            }
            if (hasTiedHead && name == TiedDecoderWeight)
            {
                tensor.Dispose(); // the decoder IS the word-embedding matrix, loaded under its own name
                continue;
            }
            if (hasTiedHead && name == TiedDecoderBias)
            {
                // The same tensor as cls.predictions.bias; use it only if the file lacks that name.
                if (checkpoint.Keys.Any(k => (addPrefix ? BasePrefix + k : k) == DecoderBias)) tensor.Dispose();
                else renamed[DecoderBias] = tensor;
                continue;
            }
            renamed[name] = tensor;
        }
        return renamed;
    }

    private static string LegacyLayerNorm(string name) =>
        name.EndsWith("LayerNorm.gamma", StringComparison.Ordinal) ? name[..^"gamma".Length] + "weight"
        : name.EndsWith("LayerNorm.beta", StringComparison.Ordinal) ? name[..^"beta".Length] + "bias"
        : name;
}
