using Azure.Messaging.ServiceBus;
using BertPlatform.Shared.Contracts;

namespace BertPlatform.Shared.Queueing;

/// <summary>
/// The Service Bus message for a job, with a MessageId chosen for the queue's duplicate detection (10-minute window):
/// <list type="bullet">
/// <item>A submission (sent now) has MessageId = the job id: a send repeated within the window (the SDK retrying a send
/// whose acknowledgement was lost, or the same job queued twice) is dropped by Service Bus, so one job is one message.</item>
/// <item>A re-queue (a runner handing a job back for later) has MessageId = <c>{jobId}@{scheduled time, ticks}</c>:
/// distinct from the submission and from other re-queues, so it is never taken for a duplicate of the message it
/// replaces, while a retried send of that same re-queue still is.</item>
/// </list>
/// </summary>
public static class ServiceBusJobMessages
{
    public static ServiceBusMessage Create(JobMessage message, TimeSpan? delay, DateTimeOffset now)
    {
        var body = new ServiceBusMessage(BinaryData.FromString(PlatformJson.Serialize(message)))
        {
            ContentType = "application/json",
            Subject = "job",
            MessageId = message.JobId,
        };
        if (delay is { } wait && wait > TimeSpan.Zero)
        {
            body.ScheduledEnqueueTime = now + wait;
            body.MessageId = $"{message.JobId}@{body.ScheduledEnqueueTime.UtcTicks}";
        }
        return body;
    }
}
