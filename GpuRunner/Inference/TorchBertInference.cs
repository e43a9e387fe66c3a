using BertPlatform.GpuRunner.Modeling;
using BertPlatform.Shared.Inference;
using BertPlatform.Shared.Tokenization;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Inference;

/// <summary>
/// A published model's safetensors on TorchSharp, behind the interface the predict endpoint's ONNX session has, so
/// batch predictions on the runner (GPU in Azure) answer with the endpoint's predictors. Eval mode, no autograd.
/// </summary>
public sealed class TorchBertInference(BertTaskModel model, BertTextTokenizer tokenizer, PublishedModelConfig config, Device device) : IBertInference
{
    public BertTextTokenizer Tokenizer { get; } = tokenizer;

    public PublishedModelConfig Config { get; } = config;

    public int MaxLength => Math.Min(Tokenizer.Settings.ModelMaxLength, Config.MaxPositionEmbeddings);

    public (Dictionary<string, float[]> Outputs, int Tokens) Run(IReadOnlyList<IReadOnlyList<BertEncoding>> groups, bool choices, params string[] outputNames)
    {
        try
        {
            return Forward(groups, choices, outputNames);
        }
        finally
        {
            // Every activation of the batch is free now (see NativeHeap).
            NativeHeap.ReleaseFreePages(device);
        }
    }

    private (Dictionary<string, float[]> Outputs, int Tokens) Forward(IReadOnlyList<IReadOnlyList<BertEncoding>> groups, bool choices, string[] outputNames)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var batch = choices
            ? EncodedBatch.Choices(groups, Tokenizer.PadTokenId, device)
            : EncodedBatch.From(groups.Select(g => g.Single()).ToList(), Tokenizer.PadTokenId, device);
        var output = model.forward(batch);
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var name in outputNames)
        {
            var tensor = name switch
            {
                "logits" => output.Logits,
                "start_logits" => output.StartLogits,
                "end_logits" => output.EndLogits,
                _ => null,
            } ?? throw new InvalidOperationException($"{model.Architecture} has no output '{name}'.");
            result[name] = TensorJson.ToArray(tensor);
        }
        return (result, (int)batch.InputIds.shape[^1]);
    }
}
