using BertPlatform.GpuRunner.Import;

namespace BertPlatform.GpuRunner.Cli;

/// <summary>
/// <c>download-model --repo bert-base-multilingual-cased --output DIR [--revision main]</c>: fetches a BERT
/// checkpoint from the Hugging Face hub (HF_ENDPOINT and HF_TOKEN are honoured) for <c>seed-base-model</c>.
/// </summary>
public static class DownloadModelVerb
{
    public const string Usage = "--repo <id> --output <dir> [--revision <branch|tag|commit>]";

    public static int Run(string[] args)
    {
        var options = new VerbOptions(args, "repo", "output", "revision");
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var hub = HuggingFaceHub.FromEnvironment(http);
        var files = hub.DownloadAsync(options.Required("repo"), options.Optional("revision") ?? "main", options.Required("output"), CancellationToken.None)
            .GetAwaiter().GetResult();
        Console.WriteLine($"Downloaded {string.Join(", ", files)} to {options.Required("output")}");
        return 0;
    }
}
