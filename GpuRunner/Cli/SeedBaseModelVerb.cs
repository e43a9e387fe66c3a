using BertPlatform.GpuRunner.Hosting;
using BertPlatform.Shared.Hosting;
using BertPlatform.Shared.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace BertPlatform.GpuRunner.Cli;

/// <summary>
/// <c>seed-base-model --from DIR --name NAME</c>: uploads a local Hugging Face model folder (config.json, vocab.txt,
/// weights) to <c>models/base/{NAME}/</c>, where jobs find base models. To use mBERT on a machine with internet:
/// <c>GpuRunner download-model --repo bert-base-multilingual-cased --output ./mbert</c>, then
/// <c>GpuRunner seed-base-model --from ./mbert --name bert-base-multilingual-cased</c>.
/// </summary>
public static class SeedBaseModelVerb
{
    public const string Usage = "--from DIR --name NAME";

    private static readonly string[] WeightFiles = ["model.safetensors", "pytorch_model.bin", "model.safetensors.index.json", "pytorch_model.bin.index.json"];

    public static int Run(string[] args)
    {
        string? from = null, name = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--from": from = WorkerVerb.Next(args, ref i); break;
                case "--name": name = WorkerVerb.Next(args, ref i); break;
                default: throw new CommandLineException($"unknown option '{args[i]}'.");
            }
        }
        if (from is null) throw new CommandLineException("--from is required.");
        if (name is null) throw new CommandLineException("--name is required.");
        if (!Directory.Exists(from)) throw new CommandLineException($"--from: no directory {from}.");
        foreach (var required in new[] { "config.json", "vocab.txt" })
            if (!File.Exists(Path.Combine(from, required)))
                throw new CommandLineException($"--from: {from} has no {required}; expected a Hugging Face model folder.");
        if (!WeightFiles.Any(f => File.Exists(Path.Combine(from, f))))
            throw new CommandLineException($"--from: {from} has no weights ({string.Join(", ", WeightFiles)}).");
        if (name.Length == 0 || name.StartsWith("model:", StringComparison.Ordinal) || name.Split('/').Any(s => s is "" or "." or ".."))
            throw new CommandLineException($"--name: '{name}' is not a usable base model name.");

        using var services = RunnerHost.BuildServices(RunnerHost.Configuration());
        services.EnsurePlatformStorageAsync(CancellationToken.None).GetAwaiter().GetResult();
        var container = services.GetRequiredService<StorageClients>().Container(StorageNames.ModelsContainer);
        var prefix = StorageNames.BaseModelPrefix(name);
        BlobFolders.DeleteAsync(container, prefix, CancellationToken.None).GetAwaiter().GetResult();
        var files = BlobFolders.UploadAsync(from, container, prefix, CancellationToken.None).GetAwaiter().GetResult();
        Console.WriteLine($"Seeded base model '{name}': {files.Count} files, {files.Sum(f => f.Bytes)} bytes in models/{prefix}");
        return 0;
    }
}
