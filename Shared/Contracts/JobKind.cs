using System.Text.Json.Serialization;

namespace BertPlatform.Shared.Contracts;

/// <summary>What a job does on the runner: train a model, or run a published one over a dataset.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobKind>))]
public enum JobKind
{
    [JsonStringEnumMemberName("fine_tuning")] FineTuning,
    [JsonStringEnumMemberName("batch_prediction")] BatchPrediction,
}
