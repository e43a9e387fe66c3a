using BertPlatform.GpuRunner.Inference;
using BertPlatform.GpuRunner.Modeling;
using BertPlatform.GpuRunner.Worker;
using BertPlatform.Shared.Tasks;
using BertPlatform.Shared.Tokenization;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tasks;

/// <summary>
/// The runner side of a task: the head it trains, how it plans a run from a job (read, split, label, encode), and
/// how a model it trained predicts. Its collation and evaluation live in its <c>ITrainingTask</c>; its formats,
/// labels and metrics in <see cref="Data"/>. <see cref="TaskDefinitions"/> lists every task once.
/// </summary>
public interface ITaskDefinition
{
    /// <summary>The data side shared with the API (formats, parsers, label counts, primary metric).</summary>
    ITaskData Data { get; }

    /// <summary>The transformers head classes this task's models load as: the one it trains first, then any it also predicts with.</summary>
    IReadOnlyList<string> Architectures { get; }

    /// <summary>Plans the run (data, labels, head configuration) and trains it; the worker has put every input on disk.</summary>
    Task<JobOutcome> RunAsync(JobExecution execution, Device device, CancellationToken cancellationToken);

    /// <summary>A predictor over JSON records for a loaded model of one of <see cref="Architectures"/>.</summary>
    IPredictor CreatePredictor(BertTaskModel model, BertTextTokenizer tokenizer, int maxLength, Device device);
}
