using System.Text.Json;
using BertPlatform.Shared.Contracts;

namespace BertPlatform.Shared.Datasets;

/// <summary>
/// Question answering from JSONL, one question per line with its own context, as Hugging Face's <c>squad</c> datasets
/// export it: <c>{"id", "question", "context", "answers": {"text": [...], "answer_start": [...]}}</c>. The id is
/// optional (<c>line-N</c> stands in); empty answers mean an unanswerable question.
/// </summary>
internal sealed class JsonlQuestionAnsweringParser(ColumnMapping columns) : JsonlParser<QuestionAnsweringExample>
{
    protected override ParsedRecord<QuestionAnsweringExample> ParseRecord(JsonElement record, long lineNumber, string location)
    {
        var errors = new List<DatasetError>();
        var context = JsonFields.RequiredText(record, columns.Context, location, errors);
        return QuestionAnsweringRecords.Build(record, context, $"line-{lineNumber}", emptyAnswersMeanImpossible: true, columns, location, errors);
    }
}
