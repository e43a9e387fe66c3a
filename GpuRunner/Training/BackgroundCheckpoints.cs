using System.Diagnostics;
using BertPlatform.GpuRunner.Modeling;

namespace BertPlatform.GpuRunner.Training;

/// <summary>
/// Checkpoint writes that overlap training instead of stalling it. A checkpoint is written from the live model and
/// optimizer on a background thread while the loop runs the next forward and backward passes; only the next optimizer
/// update waits for the files (the weights and moments must not change under the writer), and only the next checkpoint
/// waits for the upload. No copy of the weights is made, so memory stays where training puts it.
/// </summary>
public sealed class BackgroundCheckpoints(TrainingCheckpoint checkpoint)
{
    private Task filesWritten = Task.CompletedTask;
    private Task finished = Task.CompletedTask;
    private readonly Stopwatch waiting = new();

    /// <summary>Time the training loop spent waiting for checkpoint work.</summary>
    public TimeSpan Waited => waiting.Elapsed;

    /// <summary>
    /// Starts writing <c>best/</c> (when <paramref name="best"/>) and <c>last/</c>, then runs <paramref name="afterWrite"/>
    /// (the upload) with the folders written. <paramref name="state"/> is captured now: the loop goes on changing it.
    /// </summary>
    public async Task StartAsync(BertTaskModel model, FusedAdamW optimizer, TrainerState state, bool best, Func<IReadOnlyList<string>, Task> afterWrite)
    {
        await WaitAsync(finished);
        var stateJson = TrainingCheckpoint.SerializeState(state);
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        filesWritten = written.Task;
        finished = Task.Run(async () =>
        {
            try
            {
                if (best) checkpoint.SaveBest(model);
                checkpoint.SaveLast(model, optimizer, stateJson);
                written.SetResult();
            }
            catch (Exception e)
            {
                written.SetException(e);
                throw;
            }
            await afterWrite(best ? [TrainingCheckpoint.BestFolder, TrainingCheckpoint.LastFolder] : [TrainingCheckpoint.LastFolder]);
        });
    }

    /// <summary>Call before the weights or the optimizer's moments change.</summary>
    public Task BeforeUpdateAsync() => WaitAsync(filesWritten);

    /// <summary>Waits for the checkpoint in flight, written and uploaded; rethrows its failure.</summary>
    public Task CompleteAsync() => WaitAsync(finished);

    /// <summary>Waits for the checkpoint in flight without rethrowing: a synchronous save follows and replaces it.</summary>
    public async Task SettleAsync()
    {
        waiting.Start();
        await Task.WhenAny(finished);
        waiting.Stop();
    }

    private async Task WaitAsync(Task task)
    {
        if (task.IsCompleted)
        {
            await task;
            return;
        }
        waiting.Start();
        try
        {
            await task;
        }
        finally
        {
            waiting.Stop();
        }
    }
}
