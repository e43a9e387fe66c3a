using BertPlatform.Shared.Insight;

namespace BertPlatform.Shared.Tests.Insight;

/// <summary>
/// The GPU profile the report tests estimate on: half a training sample a second at 36 an hour, numbers small and
/// round enough that each test's expected seconds and cost can be worked out by hand.
/// </summary>
internal static class TestGpu
{
    public static GpuProfile Profile(double trainingSamplesPerSecond = 0.5) =>
        new() { Name = "test-gpu", TrainingSamplesPerSecond = trainingSamplesPerSecond, PricePerHour = 36, ThroughputSource = "test" };
}
