using System.Text.Json.Serialization;

namespace BertPlatform.Shared.Contracts;

/// <summary>What a job trains. The wire names are the snake_case strings clients send.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TaskType>))]
public enum TaskType
{
    [JsonStringEnumMemberName("text_classification")] TextClassification,
    [JsonStringEnumMemberName("token_classification")] TokenClassification,
    [JsonStringEnumMemberName("question_answering")] QuestionAnswering,
    [JsonStringEnumMemberName("multiple_choice")] MultipleChoice,
    [JsonStringEnumMemberName("pretraining")] Pretraining,
}
