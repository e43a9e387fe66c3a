using BertPlatform.GpuRunner.Import;
using BertPlatform.Shared.Tokenization;

namespace BertPlatform.GpuRunner.Cli;

/// <summary><c>import-onnx</c>: converts a BERT encoder exported to ONNX into a Hugging Face checkpoint directory.</summary>
public static class ImportOnnxVerb
{
    public const string Usage = "--onnx <model.onnx> --vocab <vocab.txt> --output <dir> [--lowercase]";

    public static int Run(string[] args)
    {
        string? onnx = null, vocab = null, output = null;
        var lowercase = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--onnx": onnx = Value(args, ref i); break;
                case "--vocab": vocab = Value(args, ref i); break;
                case "--output": output = Value(args, ref i); break;
                case "--lowercase": lowercase = true; break;
                default: throw new CommandLineException($"unknown option '{args[i]}'");
            }
        }
        if (onnx == null) throw new CommandLineException("--onnx is required");
        if (vocab == null) throw new CommandLineException("--vocab is required");
        if (output == null) throw new CommandLineException("--output is required");
        // --lowercase is Hugging Face's do_lower_case for uncased vocabularies, which also strips accents.
        var tokenizer = new BertTokenizerSettings(DoLowerCase: lowercase, StripAccents: lowercase, TokenizeChineseChars: true);
        return ImportReport.Run(() => OnnxBertImporter.Import(onnx, vocab, output, tokenizer), output);
    }

    internal static string Value(string[] args, ref int i) =>
        i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
            ? args[++i]
            : throw new CommandLineException($"{args[i]} needs a value");
}
