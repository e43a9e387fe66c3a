using BertPlatform.GpuRunner.Worker;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BertPlatform.Integration.Tests;

/// <summary>
/// The job lease's heartbeat and cancel polling run on the injected clock: a fake one drives them through minutes
/// of lease time in a moment, and nothing here depends on how fast the machine is.
/// </summary>
[Collection("platform")]
public sealed class LeaseKeeperTests(PlatformFixture platform)
{
    private static readonly RunnerOptions Options = new() { JobLease = TimeSpan.FromMinutes(3), CancelPollInterval = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task The_lease_is_renewed_a_third_of_a_lease_later_on_the_fake_clock_and_a_cancel_request_is_noticed()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var jobs = new JobRepository(platform.Storage);
        var start = clock.GetUtcNow();
        var job = await jobs.CreateAsync(new JobRecord
        {
            Id = "lease-" + Guid.NewGuid().ToString("N")[..8], Owner = "lease-tests", Spec = new JobSpec { TrainingDataset = "ds-none" },
            Status = JobStatus.Running, LeaseOwner = "keeper", LeaseExpiresAt = start + Options.JobLease, Attempts = 1,
        }, CancellationToken.None);

        await using var keeper = new JobLeaseKeeper(job, "keeper", jobs, Options, clock, NullLogger.Instance);

        // Polls before a third of the lease read the record but leave the lease alone.
        var renewed = await AdvanceUntilAsync(clock, async () =>
            (await jobs.GetAsync(job.Owner, job.Id, CancellationToken.None))!.LeaseExpiresAt > start + Options.JobLease);
        var record = (await jobs.GetAsync(job.Owner, job.Id, CancellationToken.None))!;
        Assert.True(renewed, "the lease was never renewed");
        Assert.True(record.LeaseExpiresAt >= start + Options.JobLease / 3 + Options.JobLease,
            $"renewed to {record.LeaseExpiresAt}, before a third of the lease had passed on the fake clock");
        Assert.False(keeper.CancelRequested.IsCancellationRequested);
        Assert.False(keeper.LeaseLost.IsCancellationRequested);

        await jobs.UpdateAsync(job.Owner, job.Id, j => j with { CancelRequested = true }, CancellationToken.None);
        Assert.True(await AdvanceUntilAsync(clock, () => Task.FromResult(keeper.CancelRequested.IsCancellationRequested)),
            "the cancel request was never noticed");
        Assert.False(keeper.LeaseLost.IsCancellationRequested);
    }

    [Fact]
    public async Task Another_holder_fences_the_keeper_at_its_next_poll()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var jobs = new JobRepository(platform.Storage);
        var job = await jobs.CreateAsync(new JobRecord
        {
            Id = "lease-" + Guid.NewGuid().ToString("N")[..8], Owner = "lease-tests", Spec = new JobSpec { TrainingDataset = "ds-none" },
            Status = JobStatus.Running, LeaseOwner = "keeper", LeaseExpiresAt = clock.GetUtcNow() + Options.JobLease, Attempts = 1,
        }, CancellationToken.None);
        await using var keeper = new JobLeaseKeeper(job, "keeper", jobs, Options, clock, NullLogger.Instance);

        await jobs.UpdateAsync(job.Owner, job.Id, j => j with { LeaseOwner = "thief" }, CancellationToken.None);

        Assert.True(await AdvanceUntilAsync(clock, () => Task.FromResult(keeper.LeaseLost.IsCancellationRequested)), "the keeper never noticed");
        Assert.False(keeper.CancelRequested.IsCancellationRequested);
    }

    /// <summary>
    /// Moves the fake clock one poll interval at a time, giving the keeper's storage round trip a moment after each,
    /// until the condition holds; false after a fake hour (the keeper would have renewed or noticed many times over).
    /// </summary>
    private static async Task<bool> AdvanceUntilAsync(FakeTimeProvider clock, Func<Task<bool>> condition)
    {
        for (var poll = 0; poll < 360; poll++)
        {
            if (await condition()) return true;
            clock.Advance(Options.CancelPollInterval);
            await Task.Delay(20);
        }
        return await condition();
    }
}
