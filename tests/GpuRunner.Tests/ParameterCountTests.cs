using BertPlatform.GpuRunner.Modeling;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tests;

public sealed class ParameterCountTests
{
    [Fact]
    public void MultilingualBaseHasTransformersParameterCount()
    {
        using var scope = NewDisposeScope();
        var config = BertConfig.MultilingualBaseCased;
        // Constructed without BertModels.Create: the count does not depend on the initial values, and skipping the
        // normal_() over 178M weights keeps the test fast.
        using var model = new BertForSequenceClassification(config);
        var encoder = model.bert.parameters().Sum(p => p.numel());
        var total = model.parameters().Sum(p => p.numel());

        // embeddings: 119547·768 (words) + 512·768 (positions) + 2·768 (types) + 2·768 (LayerNorm)
        //           = 91,812,096 + 393,216 + 1,536 + 1,536 = 92,208,384
        // one layer: 4·(768·768 + 768) (Q, K, V, attention output) = 2,362,368; + 2·768 LayerNorm = 1,536;
        //            768·3072 + 3072 (intermediate) = 2,362,368; 3072·768 + 768 (output) = 2,360,064; + 1,536 LayerNorm
        //          = 7,087,872; × 12 layers = 85,054,464
        // pooler: 768·768 + 768 = 590,592
        // BertModel total: 92,208,384 + 85,054,464 + 590,592 = 177,853,440 (transformers' bert-base-multilingual-cased)
        Assert.Equal(177_853_440L, encoder);
        // classifier for num_labels=2: 768·2 + 2 = 1,538
        Assert.Equal(177_853_440L + 1_538L, total);
    }

    [Fact]
    public void TiedDecoderAddsOnlyItsBias()
    {
        using var scope = NewDisposeScope();
        var config = BertConfig.Preset("tiny", vocabSize: 1000);
        using var pretraining = new BertForPreTraining(config);
        using var bare = new BertForSequenceClassification(config);
        // cls.predictions: transform dense 128·128+128 = 16,512, LayerNorm 256, decoder bias 1000 (weight shared),
        // NSP 128·2+2 = 258; seqcls instead has its classifier 128·2+2 = 258.
        var heads = 16_512 + 256 + 1000 + 258;
        Assert.Equal(bare.parameters().Sum(p => p.numel()) - 258 + heads, pretraining.parameters().Sum(p => p.numel()));
        Assert.DoesNotContain(pretraining.state_dict().Keys, k => k.Contains("decoder", StringComparison.Ordinal));
    }
}
