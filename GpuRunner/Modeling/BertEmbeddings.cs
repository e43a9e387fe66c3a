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
    private readonly BertDropout dropout;
    private readonly long paddingIndex;

    public BertEmbeddings(BertConfig config) : base(nameof(BertEmbeddings))
    {
        // padding_idx keeps the [PAD] row's gradient at zero, as in transformers.
        word_embeddings = nn.Embedding(config.VocabSize, config.HiddenSize, padding_idx: config.PadTokenId);
        position_embeddings = nn.Embedding(config.MaxPositionEmbeddings, config.HiddenSize);
        token_type_embeddings = nn.Embedding(config.TypeVocabSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        dropout = new BertDropout(config.HiddenDropoutProb);
        paddingIndex = config.PadTokenId;
        RegisterComponents();
    }

    /// <param name="inputIds">[B,T] token ids.</param>
    /// <param name="tokenTypeIds">[B,T] segment ids; zeros when null.</param>
    /// <returns>[B,T,H]</returns>
    public override Tensor forward(Tensor inputIds, Tensor? tokenTypeIds)
    {
        // The lookups and partial sums are garbage once normalised: only the result leaves this scope.
        using var scope = NewDisposeScope();
        var length = inputIds.shape[1];
        var positionIds = arange(length, dtype: ScalarType.Int64, device: inputIds.device).unsqueeze(0); // [1,T]
        var types = tokenTypeIds ?? zeros_like(inputIds);
        var words = WordEmbeddingLookup.Applies(word_embeddings.weight!, inputIds)
            ? WordEmbeddingLookup.Of(word_embeddings.weight!, inputIds, paddingIndex)
            : word_embeddings.forward(inputIds);
        var typeEmbeddings = token_type_embeddings.forward(types);
        var positions = position_embeddings.forward(positionIds);
        // Same summation order as transformers: (word + type) + position. Without autograd the sums go into the word
        // lookup, a fresh tensor of this pass, instead of allocating two more activations.
        var embeddings = is_grad_enabled() ? words + typeEmbeddings + positions : words.add_(typeEmbeddings).add_(positions);
        return dropout.forward(LayerNorm.forward(embeddings)).MoveToOuterDisposeScope();
    }
}
