using System.Globalization;

namespace BertPlatform.Shared.Insight;

/// <summary>
/// What one GPU of the deployment trains per second, for the report's duration and cost estimate (configuration
/// section <c>Api:GpuProfile</c>). The throughput is for BERT-base at sequence length 128 and scales with the
/// tokens a step holds; measure it with <c>GpuRunner bench --batch 32 --seq 128 --device cuda</c> on the
/// profile's GPU and set it here. The default is an assumption, not a measurement of this platform.
/// </summary>
public sealed class GpuProfile
{
    public const string Section = "GpuProfile";

    public string Name { get; set; } = "Consumption-GPU-NC24-A100";

    /// <summary>Training samples per second at sequence length 128 (forward, backward, optimizer step).</summary>
    public double TrainingSamplesPerSecond { get; set; } = 250;

    /// <summary>Where <see cref="TrainingSamplesPerSecond"/> comes from, quoted in every estimate.</summary>
    public string ThroughputSource { get; set; } = "assumed default (not measured); set Api__GpuProfile__TrainingSamplesPerSecond from GpuRunner bench on the GPU";

    /// <summary>Price of one GPU hour; null leaves the cost out.</summary>
    public double? PricePerHour { get; set; }

    public string Currency { get; set; } = "USD";

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{TrainingSamplesPerSecond:0.#} training samples/s at 128 tokens on {Name} ({ThroughputSource}); time scales with tokens per step; an evaluation sample costs a third of a training one (forward only)");
}
