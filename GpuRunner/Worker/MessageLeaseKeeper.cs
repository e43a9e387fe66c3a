using BertPlatform.Shared.Queueing;
using Microsoft.Extensions.Logging;

namespace BertPlatform.GpuRunner.Worker;

/// <summary>
/// Keeps a received message hidden from other runners while its job trains for hours, by renewing its lock
/// (Service Bus, at most 5 minutes each) or visibility (storage queue) in the background. If a renewal fails the
/// message will reappear; that is safe, because the job's own lease still tells the next runner to keep off.
/// The renewal interval runs on the injected clock, so tests drive it with a fake one.
/// </summary>
public sealed class MessageLeaseKeeper : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public MessageLeaseKeeper(IReceivedJobMessage message, TimeSpan interval, TimeProvider time, ILogger logger)
    {
        loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(interval, time, stop.Token);
                    await message.RenewAsync(stop.Token);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "Lost the message of job {JobId}; it will be delivered again and deferred while this runner holds the job", message.Message.JobId);
                    return;
                }
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await loop;
        stop.Dispose();
    }
}
