using BertPlatform.GpuRunner.Modeling;
using BertPlatform.GpuRunner.Tasks;
using BertPlatform.Shared.Tokenization;

namespace BertPlatform.GpuRunner.Cli;

/// <summary>
/// <c>make-base-model</c>: writes a randomly initialised BertForPreTraining checkpoint in the Hugging Face layout,
/// either shaped like an existing model (same config and vocabulary: the "no pre-training" control of a
/// comparison) or from a vocabulary and one of Google's miniature sizes.
/// </summary>
public static class MakeBaseModelVerb
{
    public const string Usage = "--output <dir> (--like <model dir> | --vocab <vocab.txt> [--size tiny|mini|small|medium|base] [--lowercase true]) [--seed <n>]";

    public static int Run(string[] args)
    {
        var options = new VerbOptions(args, "output", "like", "vocab", "size", "lowercase", "seed");
        var output = options.Required("output");
        var seed = options.Int("seed", 42);
        if (options.Optional("like") is { } like)
        {
            if (options.Optional("vocab") != null || options.Optional("size") != null)
                throw new CommandLineException("--like takes the configuration and vocabulary from the model; drop --vocab and --size");
            var config = BertConfig.Load(Path.Combine(like, "config.json"));
            config.Id2Label = null;
            config.Label2Id = null;
            config.ProblemType = null;
            BaseModelFactory.Create(output, config, Path.Combine(like, "vocab.txt"),
                BertTokenizerSettings.Load(Path.Combine(like, "tokenizer_config.json")), seed);
        }
        else
        {
            var vocab = options.Optional("vocab") ?? throw new CommandLineException("either --like or --vocab is required");
            var lowercase = options.Optional("lowercase") is { } text && bool.Parse(text);
            var config = BertConfig.Preset(options.Optional("size") ?? "tiny", File.ReadLines(vocab).Count());
            BaseModelFactory.Create(output, config, vocab,
                new BertTokenizerSettings(DoLowerCase: lowercase, StripAccents: lowercase, TokenizeChineseChars: true), seed);
        }
        Console.WriteLine($"wrote a randomly initialised BertForPreTraining to {output}");
        return 0;
    }
}
