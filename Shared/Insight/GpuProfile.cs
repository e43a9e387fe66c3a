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

    /// <summary>
    /// Price of one GPU hour; 0 leaves the cost out. The default is the pay-as-you-go list
    /// price of one A100 80 GB on Azure (the NC24ads A100 v4 size behind the Container Apps serverless profile
    /// Consumption-GPU-NC24-A100: about USD 3.67/h in East US as recalled when this was written, not checked against the
    /// live price list), which Container Apps bills per second. Prices vary by
    /// region, agreement and over time: set <c>Api__GpuProfile__PricePerHour</c> from the Azure pricing page for
    /// the deployment's region.
    /// </summary>
    public double? PricePerHour { get; set; } = 3.673;

    public string Currency { get; set; } = "USD";

    /// <summary>The price when there is one (configuration cannot set a null, so 0 says "no price").</summary>
    public double? Price => PricePerHour is > 0 ? PricePerHour : null;

    /// <summary>Where <see cref="PricePerHour"/> comes from, quoted in every estimate.</summary>
    public string PriceSource { get; set; } = "assumed: about the Azure pay-as-you-go price of an A100 80 GB hour in East US (NC24ads A100 v4); prices vary by region, set Api__GpuProfile__PricePerHour";

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{TrainingSamplesPerSecond:0.#} training samples/s at 128 tokens on {Name} ({ThroughputSource}); time scales with tokens per step; an evaluation sample costs a third of a training one (forward only)")
        + (Price is { } price ? string.Create(CultureInfo.InvariantCulture, $"; {Currency} {price:0.###} per GPU hour ({PriceSource})") : "");
}
