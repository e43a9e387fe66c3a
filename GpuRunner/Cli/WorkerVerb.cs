using System.Globalization;
using BertPlatform.GpuRunner.Hosting;
using BertPlatform.GpuRunner.Worker;
using BertPlatform.Shared.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BertPlatform.GpuRunner.Cli;

/// <summary>
/// <c>worker [--once] [--exit-when-idle] [--poll-interval SECONDS] [--work-dir DIR] [--device auto|cpu|cuda]</c>:
/// takes jobs from the queue and trains them on the Generic Host (<see cref="RunnerHost"/>). SIGTERM or Ctrl+C
/// stops training at the next step, keeps the checkpoint and hands the job back to the queue.
/// </summary>
public static class WorkerVerb
{
    public const string Usage = "[--once] [--exit-when-idle] [--poll-interval SECONDS] [--work-dir DIR] [--device auto|cpu|cuda]";

    public static int Run(string[] args)
    {
        var overrides = new Dictionary<string, string?>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--once": overrides["Runner:Once"] = "true"; break;
                case "--exit-when-idle": overrides["Runner:ExitWhenIdle"] = "true"; break;
                case "--poll-interval":
                    var seconds = Next(args, ref i);
                    if (!double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0)
                        throw new CommandLineException($"--poll-interval takes a positive number of seconds, not '{seconds}'.");
                    overrides["Runner:PollInterval"] = TimeSpan.FromSeconds(value).ToString("c", CultureInfo.InvariantCulture);
                    break;
                case "--work-dir": overrides["Runner:WorkDirectory"] = Next(args, ref i); break;
                case "--device": overrides["Runner:Device"] = Next(args, ref i); break;
                default: throw new CommandLineException($"unknown option '{args[i]}'.");
            }
        }

        if (StartupCheck.MissingSettings(RunnerHost.Configuration(overrides), AppSettings.GpuRunner, "The GPU runner") is { } missing)
        {
            Console.Error.WriteLine(missing);
            return StartupCheck.ConfigurationExitCode;
        }
        using var host = RunnerHost.Build(overrides);
        JobWorkerService worker;
        try
        {
            worker = host.Services.GetServices<IHostedService>().OfType<JobWorkerService>().Single();
        }
        catch (OptionsValidationException e)
        {
            Console.Error.WriteLine($"worker: invalid configuration: {string.Join(" ", e.Failures)}");
            return StartupCheck.ConfigurationExitCode;
        }
        host.Run();
        // The host logged the worker's failure; the exit code tells the Container Apps job it failed.
        return worker.ExecuteTask?.IsFaulted == true ? 1 : 0;
    }

    internal static string Next(string[] args, ref int i) =>
        ++i < args.Length ? args[i] : throw new CommandLineException($"{args[i - 1]} needs a value.");
}
