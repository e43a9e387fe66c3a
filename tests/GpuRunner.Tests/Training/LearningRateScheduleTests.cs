using BertPlatform.GpuRunner.Training;

namespace BertPlatform.GpuRunner.Tests.Training;

public class LearningRateScheduleTests
{
    [Fact]
    public void Warms_up_linearly_then_decays_linearly_to_zero()
    {
        // 100 steps, 10 warm-up: transformers' get_linear_schedule_with_warmup gives lr·step/10, then lr·(100-step)/90.
        Assert.Equal(0.0, LearningRateSchedule.LinearWithWarmup(1e-3, 0, 10, 100));
        Assert.Equal(5e-4, LearningRateSchedule.LinearWithWarmup(1e-3, 5, 10, 100), 12);
        Assert.Equal(1e-3, LearningRateSchedule.LinearWithWarmup(1e-3, 10, 10, 100), 12);
        Assert.Equal(1e-3 * 45 / 90, LearningRateSchedule.LinearWithWarmup(1e-3, 55, 10, 100), 12);
        Assert.Equal(0.0, LearningRateSchedule.LinearWithWarmup(1e-3, 100, 10, 100), 12);
    }

    [Theory]
    [InlineData(0.1, 100, 10)]
    [InlineData(0.1, 95, 10)] // ceil(9.5)
    [InlineData(0.0, 50, 0)]
    public void Warmup_steps_round_up(double ratio, int total, int expected) =>
        Assert.Equal(expected, LearningRateSchedule.WarmupSteps(ratio, total));

    [Fact]
    public void Without_warmup_the_first_step_uses_the_peak_rate() =>
        Assert.Equal(2e-5, LearningRateSchedule.LinearWithWarmup(2e-5, 0, 0, 10), 15);
}
