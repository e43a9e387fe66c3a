namespace BertPlatform.GpuRunner.Training;

/// <summary>What the trainer tells the outside world as it goes (job events, checkpoint uploads).</summary>
public interface ITrainingObserver
{
    /// <summary>Every few optimizer steps: loss, learning rate, throughput.</summary>
    Task OnTrainingLogAsync(int step, int totalSteps, double epoch, IReadOnlyDictionary<string, double> metrics);

    Task OnEvaluationAsync(int step, int totalSteps, double epoch, IReadOnlyDictionary<string, double> metrics, bool isBest);

    /// <summary>A checkpoint was written locally; an implementation uploads it so a redelivered job resumes from it.</summary>
    Task OnCheckpointSavedAsync(int step);
}
