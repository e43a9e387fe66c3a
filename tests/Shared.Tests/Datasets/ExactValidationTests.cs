using System.Text;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Tasks;

namespace BertPlatform.Shared.Tests.Datasets;

/// <summary>
/// The classes of input users send that used to slip through or be reported vaguely: each decided, and each error
/// located by line or row and by column or field, counted from 1.
/// </summary>
public class ExactValidationTests
{
    [Theory]
    [InlineData(DatasetFormat.Csv, TaskType.TextClassification, "text,label\nfine,a\nbad\u0000text,b\n", "line 3 | character 4 | the control character U+0000 (NUL)")]
    [InlineData(DatasetFormat.Jsonl, TaskType.TextClassification, "{\"text\":\"a\u0007\",\"label\":\"b\"}\n", "line 1 | character 11 | the control character U+0007")]
    [InlineData(DatasetFormat.Conll, TaskType.TokenClassification, "EU\tB-ORG\nx\u007f\tO\n", "line 2 | character 2 | the control character U+007F (DEL)")]
    [InlineData(DatasetFormat.Text, TaskType.Pretraining, "One sentence.\nTwo \u0085sentences.\n", "line 2 | character 5 | the control character U+0085")]
    [InlineData(DatasetFormat.Squad, TaskType.QuestionAnswering, "{\"data\": [\u001a]}", "line 1 | character 11 | the control character U+001A (SUB, a DOS end-of-file mark)")]
    public async Task Control_characters_that_cannot_be_text_are_errors_in_every_format(DatasetFormat format, TaskType task, string content, string expected)
    {
        var report = await Validation.Run(content, format, task);

        Assert.False(report.IsValid);
        Assert.StartsWith(expected, Validation.Describe(report)[0]);
    }

    [Fact]
    public async Task Tab_carriage_return_and_line_feed_are_text()
    {
        var report = await Validation.Run("text,label\r\n\"tab\there\",a\r\n", DatasetFormat.Csv, TaskType.TextClassification);

        Assert.True(report.IsValid, string.Join("\n", Validation.Describe(report)));
    }

    [Fact]
    public async Task A_control_character_in_a_later_window_names_its_own_line_and_character()
    {
        var row = "a fine review of the product,positive\n";
        var csv = new StringBuilder("text,label\n");
        for (var i = 0; i < 5000; i++) csv.Append(row);   // ~190 KB: several 64 KiB windows
        csv.Append("ünicode then \u0001,negative\n");

        var report = await Validation.Run(csv.ToString(), DatasetFormat.Csv, TaskType.TextClassification);

        Assert.StartsWith("line 5002 | character 14 | the control character U+0001", Validation.Describe(report)[0]);
    }

    [Theory]
    [InlineData("text,label\na,positive\nb,1\n", "row 2 | label | the label 1 is a class index, but row 1 has the label name \"positive\"")]
    [InlineData("text,label\na,0\nb,negative\n", "row 2 | label | the label \"negative\" is a name, but row 1 has the class index 0")]
    public async Task One_label_column_mixing_names_and_numbers_is_an_error(string csv, string expected)
    {
        var report = await Validation.Run(csv, DatasetFormat.Csv, TaskType.TextClassification);

        Assert.StartsWith(expected, Assert.Single(Validation.Describe(report)));
    }

    [Fact]
    public async Task Jsonl_labels_mixing_names_and_numbers_are_an_error_in_multi_label_lists_too()
    {
        var report = await Validation.Run("{\"text\":\"a\",\"label\":[\"x\",2]}\n", DatasetFormat.Jsonl, TaskType.TextClassification,
            ProblemType.MultiLabelClassification);

        Assert.StartsWith("line 1 | label | the label 2 is a class index, but line 1 has the label name \"x\"", Assert.Single(Validation.Describe(report)));
    }

    [Fact]
    public async Task A_header_naming_a_column_twice_is_an_error()
    {
        var report = await Validation.Run("text,label,text\na,b,c\n", DatasetFormat.Csv, TaskType.TextClassification);

        Validation.AssertErrors(report, "header | text | the column 'text' is named twice (columns 1 and 3); every column needs its own name");
    }

    [Fact]
    public async Task A_json_object_repeating_a_key_is_an_error_naming_the_key()
    {
        var report = await Validation.Run("{\"text\":\"a\",\"label\":\"x\"}\n{\"text\":\"a\",\"label\":\"x\",\"label\":\"y\"}\n",
            DatasetFormat.Jsonl, TaskType.TextClassification);

        Validation.AssertErrors(report, "line 2 | label | the key 'label' appears twice in one object; JSON keys must be unique");
    }

    [Fact]
    public async Task A_squad_paragraph_repeating_a_nested_key_is_an_error_naming_its_path()
    {
        const string squad = """{"data": [{"paragraphs": [{"context": "abc", "qas": [{"id": "q1", "question": "?", "answers": [{"text": "a", "text": "b", "answer_start": 0}]}]}]}]}""";

        var report = await Validation.Run(squad, DatasetFormat.Squad, TaskType.QuestionAnswering);

        Validation.AssertErrors(report, "data[0].paragraphs[0] | qas[0].answers[0].text | the key 'text' appears twice in one object; JSON keys must be unique");
    }

    [Fact]
    public async Task Conll_lines_whose_column_count_changes_are_errors_instead_of_a_guessed_tag()
    {
        var report = await Validation.Run("EU NNP B-ORG\nrejects VBZ O\n\nGerman B-MISC\ncall NN O\n", DatasetFormat.Conll, TaskType.TokenClassification);

        Validation.AssertErrors(report,
            "line 4 | column 2 | 2 columns, but line 1 has 3; every token line needs the same columns, the tag in the last");
    }

    [Fact]
    public async Task Jsonl_tags_outside_iob2_are_errors_naming_the_tag_index()
    {
        var report = await Validation.Run("{\"tokens\":[\"EU\",\"rejects\"],\"tags\":[\"B-ORG\",\"VBZ\"]}\n", DatasetFormat.Jsonl, TaskType.TokenClassification);

        Validation.AssertErrors(report, "line 1 | tags[1] | the tag \"VBZ\" is outside the IOB2 scheme; tags are O, B-TYPE or I-TYPE");
    }

    [Fact]
    public async Task A_squad_question_id_used_twice_is_an_error_naming_the_id()
    {
        const string squad = """
            {"data": [{"paragraphs": [
              {"context": "Paris is in France.", "qas": [{"id": "q-17", "question": "Where?", "answers": [{"text": "France", "answer_start": 12}]}]},
              {"context": "Rome is in Italy.", "qas": [{"id": "q-17", "question": "Where?", "answers": [{"text": "Italy", "answer_start": 11}]}]}
            ]}]}
            """;

        var report = await Validation.Run(squad, DatasetFormat.Squad, TaskType.QuestionAnswering);

        Validation.AssertErrors(report,
            "id 'q-17' (data[0].paragraphs[1].qas[0]) | id | the question id 'q-17' is used twice; every question needs its own id");
    }

    [Fact]
    public async Task Jsonl_question_ids_used_twice_are_errors()
    {
        const string jsonl = """
            {"id": "a", "question": "Where?", "context": "In Paris.", "answers": {"text": ["Paris"], "answer_start": [3]}}
            {"id": "a", "question": "Where?", "context": "In Rome.", "answers": {"text": ["Rome"], "answer_start": [3]}}
            """;

        var report = await Validation.Run(jsonl, DatasetFormat.Jsonl, TaskType.QuestionAnswering);

        Validation.AssertErrors(report, "line 2 | id | the question id 'a' is used twice; every question needs its own id");
    }

    [Fact]
    public async Task A_squad_answer_error_names_the_question_id()
    {
        const string squad = """{"data": [{"paragraphs": [{"context": "abc", "qas": [{"id": "q-17", "question": "?", "answers": [{"text": "a", "answer_start": 9}]}]}]}]}""";

        var report = await Validation.Run(squad, DatasetFormat.Squad, TaskType.QuestionAnswering);

        Assert.StartsWith("id 'q-17' (data[0].paragraphs[0].qas[0]), 'answers[0]': answer_start 9", Validation.Single(report).ToString());
    }

    [Theory]
    [InlineData(DatasetFormat.Text, "")]
    [InlineData(DatasetFormat.Text, "\n\n  \n")]
    [InlineData(DatasetFormat.Jsonl, "\n")]
    public async Task A_corpus_with_no_sentence_says_exactly_that(DatasetFormat format, string content)
    {
        var report = await Validation.Run(content, format, TaskType.Pretraining);

        Validation.AssertErrors(report, "line 1 |  | the corpus has no sentence at all; pre-training needs text, one sentence per line");
    }

    [Fact]
    public async Task A_jsonl_document_of_blank_lines_has_no_sentence()
    {
        var report = await Validation.Run("{\"text\":\"One.\"}\n{\"text\":\" \\n \\n\"}\n", DatasetFormat.Jsonl, TaskType.Pretraining);

        Validation.AssertErrors(report, "line 2 | text | the text is empty");
    }

    [Fact]
    public async Task A_squad_paragraph_over_the_value_limit_is_refused_without_reading_it_whole()
    {
        IEnumerable<string> Content()
        {
            yield return "{\"data\": [{\"paragraphs\": [{\"context\": \"";
            for (var i = 0; i < 60; i++) yield return new string('x', 1024 * 1024);   // a 60 MB context
            yield return "\", \"qas\": []}]}]}";
        }

        var report = await TaskCatalog.For(TaskType.QuestionAnswering).ValidateAsync(new GeneratedStream(Content()), DatasetFormat.Squad,
            ColumnMapping.Default, null, CancellationToken.None);

        Assert.StartsWith("data[0].paragraphs[0] |  | a single value is larger than 4 MiB", Validation.Describe(report)[0]);
        Assert.True(report.Bytes < 8 * 1024 * 1024, $"read {report.Bytes} bytes of a value it refuses");
    }
}
