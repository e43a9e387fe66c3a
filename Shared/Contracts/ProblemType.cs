using System.Text.Json.Serialization;

namespace BertPlatform.Shared.Contracts;

/// <summary>The <c>problem_type</c> of a sequence-classification head, with the names transformers uses.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProblemType>))]
public enum ProblemType
{
    [JsonStringEnumMemberName("single_label_classification")] SingleLabelClassification,
    [JsonStringEnumMemberName("multi_label_classification")] MultiLabelClassification,
    [JsonStringEnumMemberName("regression")] Regression,
}
