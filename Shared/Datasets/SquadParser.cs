using System.Runtime.CompilerServices;
using System.Text.Json;
using BertPlatform.Shared.Contracts;

namespace BertPlatform.Shared.Datasets;

/// <summary>
/// SQuAD v1.1 / v2.0 JSON: <c>{"data": [{"title", "paragraphs": [{"context", "qas": [{"id", "question", "answers",
/// "is_impossible"}]}]}]}</c>. The file is one JSON document that may be gigabytes long, so it is read through a
/// window with <see cref="Utf8JsonReader"/>: the reader walks down to each paragraph, and only that paragraph is held
/// and parsed. Each question is one example; errors are located by their JSON path. A question's language (for
/// per-language metrics) is an optional <c>language</c> (the mapped name) on the question, else on its paragraph, else
/// on its article; the article's must come before its <c>paragraphs</c>, which are read as they stream by.
/// </summary>
internal sealed class SquadParser(ColumnMapping columns) : DatasetParser<QuestionAnsweringExample>
{
    /// <summary>
    /// Largest single paragraph (or other value) accepted; the window grows to hold one. A paragraph costs several
    /// times its size while parsed (window, copy, document, context string), so this bounds one request's memory to
    /// tens of MB. 4 MiB of context is about a million tokens, thousands of BERT windows per question.
    /// </summary>
    public const int MaxValueBytes = 4 * 1024 * 1024;

    private const int InitialWindowBytes = 64 * 1024;
    private const string Context = "context";
    private const string Qas = "qas";

    private enum Level { BeforeRoot, Root, Data, Article, Paragraphs, End }

    private Level level = Level.BeforeRoot;
    private bool sawData;
    private bool sawParagraphs;
    private readonly QuestionIds ids = new();
    private int article = -1;
    private int paragraph = -1;
    private string? articleLanguage;

    private string Path => level switch
    {
        Level.BeforeRoot or Level.Root or Level.End => "document",
        Level.Data => "data",
        Level.Article => $"data[{article}]",
        _ => $"data[{article}].paragraphs",
    };

    public override async IAsyncEnumerable<ParsedRecord<QuestionAnsweringExample>> ParseAsync(
        Stream utf8Content, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var window = new byte[InitialWindowBytes];
        int length = 0, consumed = 0;
        long windowOffset = 0;
        var finalBlock = false;
        var state = new JsonReaderState();
        var output = new List<ParsedRecord<QuestionAnsweringExample>>();
        while (level != Level.End)
        {
            // Keep the unread tail, make room (growing the window when one value fills it) and read more.
            window.AsSpan(consumed, length - consumed).CopyTo(window);
            windowOffset += consumed;
            length -= consumed;
            consumed = 0;
            if (length == window.Length) window = Grow(window);
            var read = await utf8Content.ReadAsync(window.AsMemory(length), cancellationToken).ConfigureAwait(false);
            finalBlock = read == 0;
            length += read;
            if (windowOffset == 0 && window.AsSpan(0, length).StartsWith("\uFEFF"u8)) consumed = 3;

            consumed += Step(window.AsSpan(consumed, length - consumed), finalBlock, ref state, windowOffset + consumed, output);
            foreach (var record in output) yield return record;
            output.Clear();
            if (finalBlock && level != Level.End)
                throw new DatasetFormatException(new DatasetError(Path, null, $"the JSON ends early, at byte offset {windowOffset + length}"));
        }
    }

    private byte[] Grow(byte[] window)
    {
        if (window.Length >= MaxValueBytes)
            throw new DatasetFormatException(new DatasetError($"{Path}[{paragraph + 1}]", null,
                $"a single value is larger than {MaxValueBytes / (1024 * 1024)} MiB; split long paragraphs"));
        var larger = new byte[Math.Min(window.Length * 2, MaxValueBytes)];
        window.CopyTo(larger, 0);
        return larger;
    }

    /// <summary>Handles the complete tokens in <paramref name="data"/>; returns how many bytes were consumed.</summary>
    private int Step(ReadOnlySpan<byte> data, bool finalBlock, ref JsonReaderState state, long offset,
        List<ParsedRecord<QuestionAnsweringExample>> output)
    {
        var reader = new Utf8JsonReader(data, finalBlock, state);
        var safeState = state;
        long safe = 0;
        try
        {
            // A token whose value is not all in the window is handled again after the next read, from the safe point before it.
            while (level != Level.End && reader.Read() && Handle(ref reader, data, output))
            {
                safe = reader.BytesConsumed;
                safeState = reader.CurrentState;
            }
        }
        catch (JsonException exception)
        {
            throw new DatasetFormatException(new DatasetError(Path, null,
                $"malformed JSON after byte offset {offset + safe}: {exception.Message}"));
        }
        state = safeState;
        return (int)safe;
    }

    /// <summary>Acts on one token; false when the value it starts is not complete in the window yet.</summary>
    private bool Handle(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, List<ParsedRecord<QuestionAnsweringExample>> output)
    {
        switch (level, reader.TokenType)
        {
            case (Level.BeforeRoot, JsonTokenType.StartObject):
                level = Level.Root;
                return true;
            case (Level.Root, JsonTokenType.PropertyName) when reader.ValueTextEquals("data"u8):
                if (sawData) throw Structure("data", "the key 'data' appears twice in the document; JSON keys must be unique");
                if (!reader.Read()) return false;
                if (reader.TokenType != JsonTokenType.StartArray) throw Structure("data", "'data' must be an array of articles");
                (level, sawData) = (Level.Data, true);
                return true;
            case (Level.Root, JsonTokenType.EndObject):
                if (!sawData) throw Structure("document", "the 'data' array of articles is missing");
                level = Level.End;
                return true;
            case (Level.Data, JsonTokenType.StartObject):
                (level, article, paragraph, sawParagraphs, articleLanguage) = (Level.Article, article + 1, -1, false, null);
                return true;
            case (Level.Data, JsonTokenType.EndArray):
                level = Level.Root;
                return true;
            case (Level.Article, JsonTokenType.PropertyName) when reader.ValueTextEquals("paragraphs"u8):
                if (sawParagraphs) throw Structure($"data[{article}]", "the key 'paragraphs' appears twice in the article; JSON keys must be unique");
                if (!reader.Read()) return false;
                sawParagraphs = true;
                if (reader.TokenType != JsonTokenType.StartArray) throw Structure($"data[{article}].paragraphs", "'paragraphs' must be an array");
                level = Level.Paragraphs;
                return true;
            case (Level.Article, JsonTokenType.PropertyName) when reader.ValueTextEquals(columns.Language):
                if (!reader.Read()) return false;
                var (kind, tag) = (reader.TokenType, reader.TokenType == JsonTokenType.String ? reader.GetString() : null);
                if (kind is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip()) return false;
                ArticleLanguage(kind, tag, output);
                return true;
            case (Level.Article, JsonTokenType.EndObject):
                level = Level.Data;
                return true;
            case (Level.Root or Level.Article, JsonTokenType.PropertyName):
                return reader.TrySkip();
            case (Level.Paragraphs, JsonTokenType.StartObject):
                var start = (int)reader.TokenStartIndex;
                if (!reader.TrySkip()) return false;
                paragraph++;
                using (var document = JsonDocument.Parse(data[start..(int)reader.BytesConsumed].ToArray()))
                {
                    ParseParagraph(document.RootElement, $"data[{article}].paragraphs[{paragraph}]", output);
                }
                return true;
            case (Level.Paragraphs, JsonTokenType.EndArray):
                level = Level.Article;
                return true;
            case (Level.Data, _):
                throw Structure($"data[{article + 1}]", $"an article object is expected, found {reader.TokenType}");
            case (Level.Paragraphs, _):
                throw Structure($"data[{article}].paragraphs[{paragraph + 1}]", $"a paragraph object is expected, found {reader.TokenType}");
            default:
                throw Structure("document", $"a SQuAD file is a JSON object with a 'data' array; found {reader.TokenType}");
        }
    }

    /// <summary>The article's language tag (<paramref name="kind"/> is its JSON value's); a wrong one is one error for the article.</summary>
    private void ArticleLanguage(JsonTokenType kind, string? tag, List<ParsedRecord<QuestionAnsweringExample>> output)
    {
        var location = $"data[{article}]";
        if (sawParagraphs)
            output.Add(ParsedRecord<QuestionAnsweringExample>.Invalid(new DatasetError(location, columns.Language,
                $"the article's '{columns.Language}' comes after its 'paragraphs', which are read as they stream by; put it before them, or on each paragraph")));
        else if (kind == JsonTokenType.String) articleLanguage = LanguageTag.Normalize(tag);
        else if (kind != JsonTokenType.Null)
            output.Add(ParsedRecord<QuestionAnsweringExample>.Invalid(new DatasetError(location, columns.Language,
                $"a language tag (a string such as \"de\") is expected, found {Describe(kind)}")));
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.Number => "a number",
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        _ => token.ToString(),
    };

    private void ParseParagraph(JsonElement paragraphElement, string path, List<ParsedRecord<QuestionAnsweringExample>> output)
    {
        var errors = new List<DatasetError>();
        if (JsonDuplicateKeys.Find(paragraphElement) is { } repeated)
        {
            output.Add(ParsedRecord<QuestionAnsweringExample>.Invalid(JsonDuplicateKeys.Error(path, repeated)));
            return;
        }
        var context = JsonFields.RequiredText(paragraphElement, Context, path, errors);
        var paragraphLanguage = JsonFields.OptionalLanguage(paragraphElement, columns.Language, path, errors) ?? articleLanguage;
        var hasQuestions = paragraphElement.TryGetProperty(Qas, out var qas) && qas.ValueKind == JsonValueKind.Array;
        if (!hasQuestions) errors.Add(new DatasetError(path, Qas, "the 'qas' array of questions is missing"));
        // Without a usable context no answer can be checked: the paragraph is one error, not one per question.
        if (errors.Count > 0)
        {
            output.Add(ParsedRecord<QuestionAnsweringExample>.Invalid(errors));
            return;
        }
        AddColumn(Context);
        var index = 0;
        foreach (var qa in qas.EnumerateArray())
        {
            // Users know their questions by id: name it first, the JSON path after it for files without unique ids.
            var id = QuestionIds.Of(qa);
            var location = id is null ? $"{path}.qas[{index}]" : $"id '{JsonFields.Shorten(id)}' ({path}.qas[{index}])";
            index++;
            if (qa.ValueKind != JsonValueKind.Object)
            {
                output.Add(ParsedRecord<QuestionAnsweringExample>.Invalid(new DatasetError(location, null, $"a question object is expected, found {JsonFields.Describe(qa)}")));
                continue;
            }
            foreach (var property in qa.EnumerateObject()) AddColumn(property.Name);
            List<DatasetError> questionErrors = [];
            if (id is not null && !ids.Add(id)) questionErrors.Add(QuestionIds.Duplicate(location, id));
            output.Add(QuestionAnsweringRecords.Build(qa, context, defaultId: null, emptyAnswersMeanImpossible: false, columns, location, questionErrors,
                paragraphLanguage));
        }
    }

    private static DatasetFormatException Structure(string location, string message) => new(new DatasetError(location, null, message));
}
