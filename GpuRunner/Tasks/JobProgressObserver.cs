using System.Globalization;
using BertPlatform.GpuRunner.Training;
using BertPlatform.GpuRunner.Worker;

namespace BertPlatform.GpuRunner.Tasks;

/// <summary>Turns trainer callbacks into job events and checkpoint uploads.</summary>
public sealed class JobProgressObserver(JobExecution execution) : ITrainingObserver
{
    public Task OnTrainingLogAsync(int step, int totalSteps, double epoch, IReadOnlyDictionary<string, double> metrics) =>
        execution.Progress.ReportAsync("train",
            string.Create(CultureInfo.InvariantCulture, $"step {step}/{totalSteps} epoch {epoch:0.00} loss {metrics["loss"]:0.0000} lr {metrics["learning_rate"]:0.###e0}"),
            (double)step / totalSteps, WithPosition(metrics, step, epoch), CancellationToken.None);

    public Task OnEvaluationAsync(int step, int totalSteps, double epoch, IReadOnlyDictionary<string, double> metrics, bool isBest) =>
        execution.Progress.ReportAsync("eval",
            string.Create(CultureInfo.InvariantCulture, $"evaluation at step {step}: {Describe(metrics)}{(isBest ? " (best so far)" : "")}"),
            (double)step / Math.Max(1, totalSteps), WithPosition(metrics, step, epoch), CancellationToken.None);

    public Task OnCheckpointSavedAsync(int step) => execution.SaveCheckpointAsync(CancellationToken.None);

    public static string Describe(IReadOnlyDictionary<string, double> metrics) =>
        string.Join(", ", metrics.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key} {m.Value:0.####}")));

    private static Dictionary<string, double> WithPosition(IReadOnlyDictionary<string, double> metrics, int step, double epoch) =>
        new(metrics) { ["step"] = step, ["epoch"] = epoch };
}
