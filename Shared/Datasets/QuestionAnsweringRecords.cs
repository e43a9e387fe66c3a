using System.Text.Json;
using BertPlatform.Shared.Contracts;

namespace BertPlatform.Shared.Datasets;

/// <summary>
/// Makes a question-answering example from a SQuAD <c>qas</c> entry or a JSONL record, checking that each answer is
/// found in the context where its <c>answer_start</c> says. Answers come as SQuAD's list
/// <c>[{"text", "answer_start"}]</c> or as the Hugging Face datasets shape <c>{"text": [...], "answer_start": [...]}</c>.
/// </summary>
internal static class QuestionAnsweringRecords
{
    public const string Id = "id";
    public const string IsImpossible = "is_impossible";

    /// <param name="context">Null when the context itself is wrong (already in <paramref name="errors"/>): the rest is still checked.</param>
    /// <param name="defaultId">The id used when the record has none (JSONL); null makes the id required (SQuAD).</param>
    /// <param name="emptyAnswersMeanImpossible">
    /// JSONL: no answers marks an unanswerable question, as in Hugging Face's squad_v2. SQuAD JSON: v1.1 has no flag and
    /// every question an answer, so a question without answers must say <c>is_impossible</c>.
    /// </param>
    /// <param name="enclosingLanguage">SQuAD JSON: the paragraph's or article's language tag, which a question without its own takes.</param>
    public static ParsedRecord<QuestionAnsweringExample> Build(JsonElement qa, string? context, string? defaultId, bool emptyAnswersMeanImpossible,
        ColumnMapping columns, string location, List<DatasetError> errors, string? enclosingLanguage = null)
    {
        var id = defaultId;
        if (JsonFields.IsPresent(qa, Id))
        {
            var value = qa.GetProperty(Id);
            id = value.ValueKind == JsonValueKind.Number ? value.GetRawText() : JsonFields.NonEmptyText(value, location, Id, errors);
        }
        else if (defaultId is null)
        {
            errors.Add(new DatasetError(location, Id, $"the field '{Id}' is missing; every question needs an id"));
        }
        var question = JsonFields.RequiredText(qa, columns.Question, location, errors);
        var answers = Answers(qa, columns.Answers, context, location, errors);
        var isImpossible = ImpossibleFlag(qa, location, errors);
        var language = JsonFields.OptionalLanguage(qa, columns.Language, location, errors) ?? enclosingLanguage;
        if (answers is not null && context is not null)
        {
            if (isImpossible == true && answers.Count > 0)
                errors.Add(new DatasetError(location, columns.Answers, $"{answers.Count} answers for a question marked is_impossible; an unanswerable question has none"));
            else if (answers.Count == 0 && (isImpossible == false || (isImpossible is null && !emptyAnswersMeanImpossible)))
                errors.Add(new DatasetError(location, columns.Answers, isImpossible is null
                    ? "no answers; give at least one, or set is_impossible to true for an unanswerable question"
                    : "no answers for a question not marked is_impossible"));
        }
        return errors.Count > 0
            ? ParsedRecord<QuestionAnsweringExample>.Invalid(errors)
            : ParsedRecord<QuestionAnsweringExample>.Valid(new QuestionAnsweringExample(id!, question!, context!, answers!, answers!.Count == 0, language));
    }

    private static bool? ImpossibleFlag(JsonElement qa, string location, List<DatasetError> errors)
    {
        if (!JsonFields.IsPresent(qa, IsImpossible)) return null;
        var value = qa.GetProperty(IsImpossible);
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        errors.Add(new DatasetError(location, IsImpossible, $"true or false is expected, found {JsonFields.Describe(value)}"));
        return null;
    }

    private static List<AnswerSpan>? Answers(JsonElement qa, string field, string? context, string location, List<DatasetError> errors)
    {
        if (!JsonFields.IsPresent(qa, field))
        {
            errors.Add(new DatasetError(location, field, $"the field '{field}' is missing; a list of {{\"text\", \"answer_start\"}} is expected"));
            return null;
        }
        var value = qa.GetProperty(field);
        var raw = value.ValueKind switch
        {
            JsonValueKind.Array => FromList(value, field, location, errors),
            JsonValueKind.Object => FromColumns(value, field, location, errors),
            _ => Fail(location, field, $"a list of {{\"text\", \"answer_start\"}} is expected, found {JsonFields.Describe(value)}", errors),
        };
        if (raw is null) return null;
        var spans = new List<AnswerSpan>(raw.Count);
        var errorCount = errors.Count;
        foreach (var (text, start, column) in raw)
        {
            if (context is null) continue;
            var span = Locate(context, text, start);
            if (span is not null) spans.Add(span);
            else errors.Add(new DatasetError(location, column, Mismatch(context, text, start)));
        }
        return errors.Count == errorCount ? spans : null;
    }

    private static List<(string Text, long Start, string Column)>? FromList(JsonElement list, string field, string location, List<DatasetError> errors)
    {
        var answers = new List<(string, long, string)>();
        var errorCount = errors.Count;
        var index = 0;
        foreach (var answer in list.EnumerateArray())
        {
            var column = $"{field}[{index++}]";
            if (answer.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new DatasetError(location, column, $"an object {{\"text\", \"answer_start\"}} is expected, found {JsonFields.Describe(answer)}"));
                continue;
            }
            var text = JsonFields.RequiredText(answer, "text", location, errors);
            var start = Start(answer.TryGetProperty("answer_start", out var s) ? s : null, $"{column}.answer_start", location, errors);
            if (text is not null && start is not null) answers.Add((text, start.Value, column));
        }
        return errors.Count == errorCount ? answers : null;
    }

    private static List<(string Text, long Start, string Column)>? FromColumns(JsonElement columns, string field, string location, List<DatasetError> errors)
    {
        if (!columns.TryGetProperty("text", out var texts) || texts.ValueKind != JsonValueKind.Array
            || !columns.TryGetProperty("answer_start", out var starts) || starts.ValueKind != JsonValueKind.Array)
            return Fail(location, field, "the arrays 'text' and 'answer_start' are expected", errors);
        if (texts.GetArrayLength() != starts.GetArrayLength())
            return Fail(location, field, $"{texts.GetArrayLength()} answer texts but {starts.GetArrayLength()} answer_start values", errors);
        var answers = new List<(string, long, string)>();
        var errorCount = errors.Count;
        for (var i = 0; i < texts.GetArrayLength(); i++)
        {
            var text = JsonFields.NonEmptyText(texts[i], location, $"{field}.text[{i}]", errors);
            var start = Start(starts[i], $"{field}.answer_start[{i}]", location, errors);
            if (text is not null && start is not null) answers.Add((text, start.Value, $"{field}.text[{i}]"));
        }
        return errors.Count == errorCount ? answers : null;
    }

    private static long? Start(JsonElement? value, string column, string location, List<DatasetError> errors)
    {
        if (value is { ValueKind: JsonValueKind.Number } number && number.TryGetInt64(out var start) && start >= 0) return start;
        errors.Add(new DatasetError(location, column, value is null
            ? "answer_start is missing; the character offset of the answer in the context is expected"
            : $"a character offset (an integer from 0) is expected, found {JsonFields.Describe(value.Value)}"));
        return null;
    }

    /// <summary>
    /// SQuAD offsets count Unicode code points (Python string indices); .NET strings count UTF-16 units, which differ
    /// after any character outside the Basic Multilingual Plane (emoji, rare CJK).
    /// </summary>
    private static AnswerSpan? Locate(string context, string text, long codePointStart)
    {
        var start = CharIndex(context, codePointStart);
        if (start < 0 || start + text.Length > context.Length || !context.AsSpan(start, text.Length).SequenceEqual(text)) return null;
        return new AnswerSpan(text, start);
    }

    private static int CharIndex(string context, long codePointIndex)
    {
        if (codePointIndex > context.Length) return -1;
        var index = 0;
        for (long codePoint = 0; codePoint < codePointIndex; codePoint++)
        {
            if (index >= context.Length) return -1;
            index += char.IsHighSurrogate(context[index]) && index + 1 < context.Length && char.IsLowSurrogate(context[index + 1]) ? 2 : 1;
        }
        return index;
    }

    private static string Mismatch(string context, string text, long start)
    {
        var index = CharIndex(context, start);
        if (index < 0) return $"answer_start {start} is beyond the end of the context ({context.Length} characters)";
        var found = context.Substring(index, Math.Min(text.Length, context.Length - index));
        var elsewhere = context.IndexOf(text, StringComparison.Ordinal);
        var hint = elsewhere < 0 ? "the text does not occur in the context at all" : $"the text occurs at character {CodePoints(context, elsewhere)}";
        return $"the answer \"{JsonFields.Shorten(text)}\" is not at answer_start {start} of the context, which has \"{JsonFields.Shorten(found)}\" there; {hint}";
    }

    private static int CodePoints(string text, int charIndex)
    {
        var count = 0;
        foreach (var _ in text.AsSpan(0, charIndex).EnumerateRunes()) count++;
        return count;
    }

    private static List<(string, long, string)>? Fail(string location, string column, string message, List<DatasetError> errors)
    {
        errors.Add(new DatasetError(location, column, message));
        return null;
    }
}
