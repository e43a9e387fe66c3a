using System.Text.Json;
using BertPlatform.Shared.Contracts;

namespace BertPlatform.Shared.Datasets;

/// <summary>Which parser reads which format of which task; a combination that does not exist is a dataset error.</summary>
internal static class DatasetParsers
{
    public static DatasetParser<TextClassificationExample> TextClassification(DatasetFormat format, ColumnMapping columns, ProblemType? problemType) =>
        format switch
        {
            DatasetFormat.Csv or DatasetFormat.Tsv => new CsvTextClassificationParser(format, columns, problemType),
            DatasetFormat.Jsonl => new JsonlTextClassificationParser(columns, problemType),
            _ => throw Unsupported(format, TaskType.TextClassification, "csv, tsv or jsonl"),
        };

    public static DatasetParser<TokenClassificationExample> TokenClassification(DatasetFormat format, ColumnMapping columns) =>
        format switch
        {
            DatasetFormat.Conll => new ConllTokenClassificationParser(),
            DatasetFormat.Jsonl => new JsonlTokenClassificationParser(columns),
            _ => throw Unsupported(format, TaskType.TokenClassification, "conll or jsonl"),
        };

    public static DatasetParser<QuestionAnsweringExample> QuestionAnswering(DatasetFormat format, ColumnMapping columns) =>
        format switch
        {
            DatasetFormat.Squad => new SquadParser(columns),
            DatasetFormat.Jsonl => new JsonlQuestionAnsweringParser(columns),
            _ => throw Unsupported(format, TaskType.QuestionAnswering, "squad or jsonl"),
        };

    public static DatasetParser<MultipleChoiceExample> MultipleChoice(DatasetFormat format, ColumnMapping columns) =>
        format switch
        {
            DatasetFormat.Jsonl => new JsonlMultipleChoiceParser(columns),
            _ => throw Unsupported(format, TaskType.MultipleChoice, "jsonl"),
        };

    public static DatasetParser<CorpusDocument> Corpus(DatasetFormat format, ColumnMapping columns) =>
        format switch
        {
            DatasetFormat.Text => new TextCorpusParser(),
            DatasetFormat.Jsonl => new JsonlCorpusParser(columns),
            _ => throw Unsupported(format, TaskType.Pretraining, "text or jsonl"),
        };

    private static DatasetFormatException Unsupported(DatasetFormat format, TaskType task, string supported) =>
        new(new DatasetError("dataset", null,
            $"the format '{format.ToString().ToLowerInvariant()}' cannot hold {JsonNamingPolicy.SnakeCaseLower.ConvertName(task.ToString())} data; use {supported}"));
}
