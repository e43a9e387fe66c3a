using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>Word + token-type + absolute position embeddings, then LayerNorm and dropout.</summary>
public sealed class BertEmbeddings : nn.Module<Tensor, Tensor?, Tensor>
{
    public readonly Embedding word_embeddings;
    public readonly Embedding position_embeddings;
    public readonly Embedding token_type_embeddings;
    public readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    public BertEmbeddings(BertConfig config) : base(nameof(BertEmbeddings))
    {
        // padding_idx keeps the [PAD] row's gradient at zero, as in transformers.
        word_embeddings = nn.Embedding(config.VocabSize, config.HiddenSize, padding_idx: config.PadTokenId);
        position_embeddings = nn.Embedding(config.MaxPositionEmbeddings, config.HiddenSize);
        token_type_embeddings = nn.Embedding(config.TypeVocabSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    /// <param name="inputIds">[B,T] token ids.</param>
    /// <param name="tokenTypeIds">[B,T] segment ids; zeros when null.</param>
    /// <returns>[B,T,H]</returns>
    public override Tensor forward(Tensor inputIds, Tensor? tokenTypeIds)
    {
        var length = inputIds.shape[1];
        var positionIds = arange(length, dtype: ScalarType.Int64, device: inputIds.device).unsqueeze(0); // [1,T]
        using var types = tokenTypeIds is null ? zeros_like(inputIds) : null;
        // Same summation order as transformers: (word + type) + position.
        var embeddings = word_embeddings.forward(inputIds) + token_type_embeddings.forward(tokenTypeIds ?? types!);
        embeddings = embeddings + position_embeddings.forward(positionIds);
        return dropout.forward(LayerNorm.forward(embeddings));
    }
}
