using BertPlatform.GpuRunner.Hosting;
using Microsoft.Extensions.Options;

namespace BertPlatform.GpuRunner.Tests;

public class RunnerHostTests
{
    [Fact]
    public async Task Invalid_runner_options_stop_the_host_at_start_naming_each_setting()
    {
        using var host = RunnerHost.Build(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["Runner:MaxAttempts"] = "0",
            ["Runner:JobLease"] = "00:00:01",
            ["Runner:CancelPollInterval"] = "00:00:02",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Runner__MaxAttempts must be at least 1.", error.Failures);
        Assert.Contains(error.Failures, failure => failure.StartsWith("Runner__JobLease must be longer than Runner__CancelPollInterval", StringComparison.Ordinal));
        Assert.Equal(2, error.Failures.Count());
    }
}
