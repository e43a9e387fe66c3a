namespace BertPlatform.GpuRunner.Cli;

/// <summary>Dispatches the runner's verbs. Each verb lives in its own file in this folder.</summary>
public static class CommandLine
{
    private static readonly Dictionary<string, (string Usage, Func<string[], int> Run)> verbs = new(StringComparer.Ordinal);

    /// <summary>Registers a verb; called from the static constructor below so the table is in one place.</summary>
    private static void Add(string name, string usage, Func<string[], int> run) => verbs[name] = (usage, run);

    static CommandLine()
    {
        Add("bench", BenchVerb.Usage, BenchVerb.Run);
        Add("predict", PredictVerb.Usage, PredictVerb.Run);
        Add("batch-predict", BatchPredictVerb.Usage, BatchPredictVerb.Run);
        Add("tokenize", TokenizeVerb.Usage, TokenizeVerb.Run);
        Add("preflight", PreflightVerb.Usage, PreflightVerb.Run);
        Add("import-onnx", ImportOnnxVerb.Usage, ImportOnnxVerb.Run);
        Add("export-onnx", ExportOnnxVerb.Usage, ExportOnnxVerb.Run);
        Add("import-minilm", ImportMiniLmVerb.Usage, ImportMiniLmVerb.Run);
        Add("worker", WorkerVerb.Usage, WorkerVerb.Run);
        Add("seed-base-model", SeedBaseModelVerb.Usage, SeedBaseModelVerb.Run);
        Add("make-base-model", MakeBaseModelVerb.Usage, MakeBaseModelVerb.Run);
        Add("download-model", DownloadModelVerb.Usage, DownloadModelVerb.Run);
    }

    public static int Run(string[] args)
    {
        if (args.Length == 0 || !verbs.TryGetValue(args[0], out var verb))
        {
            Console.Error.WriteLine("usage: GpuRunner <verb> [options]");
            foreach (var (name, (usage, _)) in verbs.OrderBy(v => v.Key)) Console.Error.WriteLine($"  {name} {usage}");
            return args.Length == 0 ? 2 : 64;
        }
        try
        {
            return verb.Run(args[1..]);
        }
        catch (CommandLineException e)
        {
            Console.Error.WriteLine($"{args[0]}: {e.Message}");
            Console.Error.WriteLine($"usage: GpuRunner {args[0]} {verb.Usage}");
            return 64;
        }
    }
}

/// <summary>A usage error: the message says which option is wrong and why.</summary>
public sealed class CommandLineException(string message) : Exception(message);
