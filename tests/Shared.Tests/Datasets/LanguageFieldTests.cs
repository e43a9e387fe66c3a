using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Tasks;

namespace BertPlatform.Shared.Tests.Datasets;

/// <summary>
/// Every supervised task's examples carry the optional language tag (the mapped <c>language</c> field, trimmed and
/// lower-cased) that per-language metrics group by; a tag that is not a string is an error naming the field.
/// </summary>
public sealed class LanguageFieldTests
{
    private static List<T> Read<T>(TaskData<T> data, string content, DatasetFormat format, ColumnMapping? columns = null) where T : class
    {
        using var file = new Validation.TempFile(content);
        return data.Read(file.Path, format, columns ?? ColumnMapping.Default).ToList();
    }

    [Fact]
    public void Token_classification_jsonl_reads_the_language_and_conll_has_none()
    {
        const string jsonl = """
            {"tokens": ["Berlin", "ruft"], "tags": ["B-LOC", "O"], "language": " DE "}
            {"tokens": ["Paris", "calls"], "tags": ["B-LOC", "O"]}
            {"tokens": ["Roma"], "tags": ["B-LOC"], "language": ""}
            """;
        Assert.Equal(["de", null, null], Read(TaskCatalog.TokenClassification, jsonl, DatasetFormat.Jsonl).Select(e => e.Language));
        Assert.Null(Assert.Single(Read(TaskCatalog.TokenClassification, "Paris B-LOC\n", DatasetFormat.Conll)).Language);
    }

    [Fact]
    public void A_renamed_language_column_is_read_under_its_name()
    {
        const string jsonl = """{"tokens": ["Paris"], "tags": ["B-LOC"], "lang": "fr", "language": "en"}""";
        var example = Assert.Single(Read(TaskCatalog.TokenClassification, jsonl, DatasetFormat.Jsonl, ColumnMapping.Default with { Language = "lang" }));
        Assert.Equal("fr", example.Language);
    }

    [Fact]
    public async Task A_language_that_is_not_a_string_is_a_row_error_naming_the_field()
    {
        var tokens = await Validation.Run("""{"tokens": ["Paris"], "tags": ["B-LOC"], "language": 7}""", DatasetFormat.Jsonl, TaskType.TokenClassification);
        Validation.AssertErrors(tokens, """line 1 | language | a language tag (a string such as "de") is expected, found the number 7""");

        var choices = await Validation.Run("""{"context": "c", "endings": ["a", "b"], "label": 0, "language": ["en"]}""", DatasetFormat.Jsonl, TaskType.MultipleChoice);
        Validation.AssertErrors(choices, """line 1 | language | a language tag (a string such as "de") is expected, found an array""");

        var text = await Validation.Run("{\"text\": \"hallo\", \"label\": \"a\", \"language\": true}\n{\"text\": \"hi\", \"label\": \"b\"}", DatasetFormat.Jsonl, TaskType.TextClassification);
        Validation.AssertErrors(text, """line 1 | language | a language tag (a string such as "de") is expected, found true""");

        var questions = await Validation.Run(
            """{"question": "Wer?", "context": "Anna", "answers": {"text": ["Anna"], "answer_start": [0]}, "language": {"code": "de"}}""",
            DatasetFormat.Jsonl, TaskType.QuestionAnswering);
        Validation.AssertErrors(questions, """line 1 | language | a language tag (a string such as "de") is expected, found an object""");
    }

    [Fact]
    public void Multiple_choice_and_question_answering_jsonl_read_the_language()
    {
        const string choices = """
            {"context": "Die Katze", "endings": ["schläft", "fliegt"], "label": 0, "language": "de"}
            {"context": "The cat", "endings": ["sleeps", "flies"], "label": 0}
            """;
        Assert.Equal(["de", null], Read(TaskCatalog.MultipleChoice, choices, DatasetFormat.Jsonl).Select(e => e.Language));

        const string questions = """
            {"question": "Wer?", "context": "Anna", "answers": {"text": ["Anna"], "answer_start": [0]}, "language": "DE"}
            {"question": "Who?", "context": "Anna", "answers": {"text": ["Anna"], "answer_start": [0]}}
            """;
        Assert.Equal(["de", null], Read(TaskCatalog.QuestionAnswering, questions, DatasetFormat.Jsonl).Select(e => e.Language));
    }

    [Fact]
    public void A_squad_question_takes_its_own_language_else_its_paragraphs_else_its_articles()
    {
        const string squad = """
            {"data": [
              {"title": "a", "language": "de", "paragraphs": [
                {"context": "Anna lebt hier.", "language": "fr", "qas": [
                  {"id": "own", "question": "Who?", "answers": [{"text": "Anna", "answer_start": 0}], "language": "EN"},
                  {"id": "paragraph", "question": "Qui?", "answers": [{"text": "Anna", "answer_start": 0}]}]},
                {"context": "Anna lebt hier.", "qas": [
                  {"id": "article", "question": "Wer?", "answers": [{"text": "Anna", "answer_start": 0}]}]}]},
              {"title": "b", "paragraphs": [
                {"context": "Anna lives here.", "qas": [
                  {"id": "none", "question": "Who?", "answers": [{"text": "Anna", "answer_start": 0}]}]}]}
            ]}
            """;
        var examples = Read(TaskCatalog.QuestionAnswering, squad, DatasetFormat.Squad);
        Assert.Equal(["own", "paragraph", "article", "none"], examples.Select(e => e.Id));
        Assert.Equal(["en", "fr", "de", null], examples.Select(e => e.Language));
    }

    [Fact]
    public async Task A_squad_articles_language_must_be_a_string_and_come_before_its_paragraphs()
    {
        const string squad = """
            {"data": [
              {"language": 3, "paragraphs": [
                {"context": "Anna", "qas": [{"id": "a", "question": "Wer?", "answers": [{"text": "Anna", "answer_start": 0}]}]}]},
              {"paragraphs": [
                {"context": "Anna", "qas": [{"id": "b", "question": "Wer?", "answers": [{"text": "Anna", "answer_start": 0}]}]}],
               "language": "de"},
              {"paragraphs": [
                {"context": "Anna", "language": false, "qas": [{"id": "c", "question": "Wer?", "answers": [{"text": "Anna", "answer_start": 0}]}]}]}
            ]}
            """;
        var report = await Validation.Run(squad, DatasetFormat.Squad, TaskType.QuestionAnswering);
        Validation.AssertErrors(report,
            """data[0] | language | a language tag (a string such as "de") is expected, found a number""",
            "data[1] | language | the article's 'language' comes after its 'paragraphs', which are read as they stream by; put it before them, or on each paragraph",
            """data[2].paragraphs[0] | language | a language tag (a string such as "de") is expected, found false""");
    }
}
