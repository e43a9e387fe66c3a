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
    private readonly QuestionIds ids = new();

    protected override ParsedRecord<QuestionAnsweringExample> ParseRecord(JsonElement record, long lineNumber, string location)
    {
        var errors = new List<DatasetError>();
        var context = JsonFields.RequiredText(record, columns.Context, location, errors);
        if (QuestionIds.Of(record) is { } id && !ids.Add(id)) errors.Add(QuestionIds.Duplicate(location, id));
        return QuestionAnsweringRecords.Build(record, context, $"line-{lineNumber}", emptyAnswersMeanImpossible: true, columns, location, errors);
    }
}
