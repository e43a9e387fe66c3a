using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Queueing;

namespace BertPlatform.Shared.Tests.Queueing;

/// <summary>MessageIds as the job queue's duplicate detection sees them (requiresDuplicateDetection, 10-minute window).</summary>
public sealed class ServiceBusJobMessagesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly JobMessage Job = new("job-7f3a", "user:6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b");

    [Fact]
    public void A_submission_is_identified_by_its_job_so_a_repeated_send_is_a_duplicate()
    {
        var first = ServiceBusJobMessages.Create(Job, null, Now);
        var again = ServiceBusJobMessages.Create(Job, TimeSpan.Zero, Now.AddMinutes(3));

        Assert.Equal("job-7f3a", first.MessageId);
        Assert.Equal(first.MessageId, again.MessageId);
        Assert.Equal(default, first.ScheduledEnqueueTime);
        Assert.Equal(Job, PlatformJson.Deserialize<JobMessage>(first.Body.ToString()));
        Assert.Equal("application/json", first.ContentType);
    }

    [Fact]
    public void A_re_queue_is_not_a_duplicate_of_the_submission_or_of_another_re_queue()
    {
        var submission = ServiceBusJobMessages.Create(Job, null, Now);
        var handedBack = ServiceBusJobMessages.Create(Job, TimeSpan.FromSeconds(30), Now.AddMinutes(2));
        var handedBackAgain = ServiceBusJobMessages.Create(Job, TimeSpan.FromSeconds(30), Now.AddMinutes(4));

        Assert.Equal(Now.AddMinutes(2).AddSeconds(30), handedBack.ScheduledEnqueueTime);
        Assert.StartsWith("job-7f3a@", handedBack.MessageId);
        Assert.NotEqual(submission.MessageId, handedBack.MessageId);
        Assert.NotEqual(handedBack.MessageId, handedBackAgain.MessageId);
        // Service Bus caps MessageId at 128 characters.
        Assert.True(handedBack.MessageId.Length <= 128);
    }

    [Fact]
    public void A_retried_send_of_the_same_re_queue_keeps_its_id()
    {
        var scheduled = Now.AddMinutes(1);
        Assert.Equal(ServiceBusJobMessages.Create(Job, TimeSpan.FromMinutes(1), Now).MessageId,
            ServiceBusJobMessages.Create(Job, TimeSpan.FromMinutes(1), scheduled - TimeSpan.FromMinutes(1)).MessageId);
    }
}
