using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>
/// transformers' BertPreTrainedModel._init_weights: Linear and Embedding weights ~ N(0, initializer_range), biases 0,
/// the padding row of embeddings 0, LayerNorm weight 1 and bias 0; the masked-LM decoder bias 0.
/// </summary>
public static class BertInitializer
{
    public static void Initialize(nn.Module model, BertConfig config)
    {
        using var noGrad = no_grad();
        foreach (var (_, module) in model.named_modules())
        {
            switch (module)
            {
                case Linear linear:
                    linear.weight!.normal_(0, config.InitializerRange);
                    linear.bias?.zero_();
                    break;
                case Embedding embedding:
                    embedding.weight!.normal_(0, config.InitializerRange);
                    if (ReferenceEquals(embedding, FindWordEmbeddings(model))) embedding.weight[config.PadTokenId].zero_();
                    break;
                case LayerNorm norm:
                    norm.weight!.fill_(1.0);
                    norm.bias!.zero_();
                    break;
                case BertLMPredictionHead head:
                    head.bias.zero_();
                    break;
            }
        }
    }

    // Only word_embeddings is built with padding_idx; position and token-type tables have no padding row.
    private static Embedding? FindWordEmbeddings(nn.Module model) =>
        model.named_modules().Select(m => m.module).OfType<BertEmbeddings>().FirstOrDefault()?.word_embeddings;
}
