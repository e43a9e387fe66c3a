using TorchSharp;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>A BERT encoder (field <c>bert</c>) plus one task head, named after its transformers class.</summary>
public abstract class BertTaskModel : nn.Module<BertBatch, BertOutput>
{
    protected BertTaskModel(BertConfig config, string architecture) : base(architecture)
    {
        Config = config;
        Architecture = architecture;
    }

    public BertConfig Config { get; }

    /// <summary>The transformers class name written to config.json's <c>architectures</c>.</summary>
    public string Architecture { get; }

    /// <summary>The shared encoder; task models name their field <c>bert</c> so keys start with <c>bert.</c>.</summary>
    public abstract BertModel Encoder { get; }

    /// <summary>Dropout in front of sequence/token classifiers: classifier_dropout, else hidden_dropout_prob.</summary>
    protected static double ClassifierDropoutOf(BertConfig config) => config.ClassifierDropout ?? config.HiddenDropoutProb;
}
