using System.Globalization;
using System.Runtime.InteropServices;
using BertPlatform.GpuRunner.Worker;
using BertPlatform.Shared.Configuration;
using BertPlatform.Shared.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace BertPlatform.GpuRunner.Cli;

/// <summary>
/// <c>worker [--once] [--exit-when-idle] [--poll-interval SECONDS] [--work-dir DIR] [--device auto|cpu|cuda]</c>:
/// takes jobs from the queue and trains them. SIGTERM or Ctrl+C stops training at the next step, keeps the
/// checkpoint and hands the job back to the queue.
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

        using var stopping = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        var configuration = RunnerServices.Configuration(overrides);
        if (StartupCheck.MissingSettings(configuration, AppSettings.GpuRunner, "The GPU runner") is { } missing)
        {
            Console.Error.WriteLine(missing);
            return StartupCheck.ConfigurationExitCode;
        }
        using var services = RunnerServices.Build(configuration);
        services.EnsurePlatformStorageAsync(stopping.Token).GetAwaiter().GetResult();
        services.GetRequiredService<JobWorker>().RunAsync(stopping.Token).GetAwaiter().GetResult();
        return 0;

        void Stop(PosixSignalContext context)
        {
            // Keep the process alive: the worker winds down (checkpoint, release, abandon) and then exits itself.
            context.Cancel = true;
            stopping.Cancel();
        }
    }

    internal static string Next(string[] args, ref int i) =>
        ++i < args.Length ? args[i] : throw new CommandLineException($"{args[i - 1]} needs a value.");
}
