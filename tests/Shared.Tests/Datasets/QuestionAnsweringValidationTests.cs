using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Tasks;

namespace BertPlatform.Shared.Tests.Datasets;

public class QuestionAnsweringValidationTests
{
    private const string SquadV2 = """
        {"version": "v2.0", "data": [
          {"title": "Denver", "paragraphs": [
            {"context": "Denver Broncos won Super Bowl 50.",
             "qas": [
               {"id": "q1", "question": "Who won?", "answers": [{"text": "Denver Broncos", "answer_start": 0}], "is_impossible": false},
               {"id": "q2", "question": "Who lost?", "answers": [], "plausible_answers": [{"text": "Broncos", "answer_start": 7}], "is_impossible": true}
             ]},
            {"qas": [{"id": "q3", "question": "Which bowl?", "answers": [{"text": "Super Bowl 50", "answer_start": 19}]}],
             "context": "Denver Broncos won Super Bowl 50."}
          ]}
        ]}
        """;

    [Fact]
    public async Task Squad_v2_valid_file_gives_one_example_per_question()
    {
        var report = await Validation.Run(SquadV2, DatasetFormat.Squad, TaskType.QuestionAnswering);

        Assert.True(report.IsValid, string.Join("\n", Validation.Describe(report)));
        Assert.Equal(3, report.RowCount);
        Assert.Equal(2, report.LabelCounts[QuestionAnsweringData.HasAnswer]);
        Assert.Equal(1, report.LabelCounts[QuestionAnsweringData.NoAnswer]);
        Assert.Contains("is_impossible", report.Columns);

        using var file = new Validation.TempFile(SquadV2);
        var examples = TaskCatalog.QuestionAnswering.Read(file.Path, DatasetFormat.Squad, ColumnMapping.Default).ToList();
        Assert.Equal(["q1", "q2", "q3"], examples.Select(example => example.Id));
        Assert.Equal(new AnswerSpan("Super Bowl 50", 19), Assert.Single(examples[2].Answers));
        Assert.True(examples[1].IsImpossible);
        Assert.Empty(examples[1].Answers);
    }

    [Fact]
    public async Task Squad_errors_name_the_question_id_and_carry_their_json_path()
    {
        const string squad = """
            {"data": [
              {"paragraphs": [
                {"context": "Paris is the capital of France.", "qas": [
                  {"id": "a", "question": "Capital?", "answers": [{"text": "Paris", "answer_start": 0}]},
                  {"id": "b", "question": "Country?", "answers": [{"text": "France", "answer_start": 3}]},
                  {"id": "c", "question": "", "answers": [{"text": "Paris", "answer_start": 0}]},
                  {"question": "No id?", "answers": []}
                ]}
              ]},
              {"paragraphs": [
                {"context": "", "qas": []},
                {"context": "x", "qas": [{"id": "d", "question": "q", "answers": [{"text": "x", "answer_start": 5}]},
                                        {"id": "e", "question": "q", "answers": [{"text": "x", "answer_start": 0}], "is_impossible": true}]}
              ]}
            ]}
            """;

        var report = await Validation.Run(squad, DatasetFormat.Squad, TaskType.QuestionAnswering);

        Validation.AssertErrors(report,
                "id 'b' (data[0].paragraphs[0].qas[1]) | answers[0] | the answer \"France\" is not at answer_start 3 of the context, which has \"is is \" there; the text occurs at character 24",
                "id 'c' (data[0].paragraphs[0].qas[2]) | question | the text is empty",
                "data[0].paragraphs[0].qas[3] | id | the field 'id' is missing; every question needs an id",
                "data[0].paragraphs[0].qas[3] | answers | no answers; give at least one, or set is_impossible to true for an unanswerable question",
                "data[1].paragraphs[0] | context | the text is empty",
                "id 'd' (data[1].paragraphs[1].qas[0]) | answers[0] | answer_start 5 is beyond the end of the context (1 characters)",
                "id 'e' (data[1].paragraphs[1].qas[1]) | answers | 1 answers for a question marked is_impossible; an unanswerable question has none");
    }

    [Fact]
    public async Task Squad_structure_and_syntax_errors_stop_with_a_location()
    {
        var noData = await Validation.Run("{\"version\": \"1.1\"}", DatasetFormat.Squad, TaskType.QuestionAnswering);
        Assert.Equal("document: the 'data' array of articles is missing", Validation.Single(noData).ToString());

        var truncated = await Validation.Run("{\"data\": [{\"paragraphs\": [{\"context\": \"abc\", \"qas\": [", DatasetFormat.Squad, TaskType.QuestionAnswering);
        Assert.StartsWith("data[0].paragraphs: malformed JSON after byte offset 26: ", Validation.Single(truncated).ToString());

        var broken = await Validation.Run("{\"data\": [{\"paragraphs\": [}]}", DatasetFormat.Squad, TaskType.QuestionAnswering);
        Assert.StartsWith("data[0].paragraphs: malformed JSON", Validation.Single(broken).ToString());
    }

    [Fact]
    public async Task Answer_start_counts_code_points_like_python()
    {
        // The emoji is one code point (Python index) but two UTF-16 units.
        const string jsonl = "{\"question\":\"Who?\",\"context\":\"🙂 Ada wrote it\",\"answers\":{\"text\":[\"Ada\"],\"answer_start\":[2]}}\n";

        var report = await Validation.Run(jsonl, DatasetFormat.Jsonl, TaskType.QuestionAnswering);

        Assert.True(report.IsValid, string.Join("\n", Validation.Describe(report)));
        using var file = new Validation.TempFile(jsonl);
        var example = Assert.Single(TaskCatalog.QuestionAnswering.Read(file.Path, DatasetFormat.Jsonl, ColumnMapping.Default));
        Assert.Equal(new AnswerSpan("Ada", 3), Assert.Single(example.Answers));
        Assert.Equal("line-1", example.Id);
    }

    [Fact]
    public async Task Jsonl_accepts_both_answer_shapes_and_reports_mismatches()
    {
        const string jsonl =
            "{\"id\":\"1\",\"question\":\"Q\",\"context\":\"abc def\",\"answers\":[{\"text\":\"def\",\"answer_start\":4}]}\n" +
            "{\"id\":\"2\",\"question\":\"Q\",\"context\":\"abc def\",\"answers\":{\"text\":[],\"answer_start\":[]}}\n" +
            "{\"id\":\"3\",\"question\":\"Q\",\"context\":\"abc def\",\"answers\":{\"text\":[\"abc\"],\"answer_start\":[1]}}\n" +
            "{\"id\":\"4\",\"question\":\"Q\",\"context\":\"abc def\",\"answers\":{\"text\":[\"abc\"],\"answer_start\":[]}}\n" +
            "{\"id\":\"5\",\"question\":\"Q\",\"answers\":[{\"text\":\"abc\",\"answer_start\":\"0\"}]}\n";

        var report = await Validation.Run(jsonl, DatasetFormat.Jsonl, TaskType.QuestionAnswering);

        Assert.Equal(
            [
                "line 3 | answers.text[0] | the answer \"abc\" is not at answer_start 1 of the context, which has \"bc \" there; the text occurs at character 0",
                "line 4 | answers | 1 answer texts but 0 answer_start values",
                "line 5 | context | the field 'context' is missing; a non-empty string is expected",
                "line 5 | answers[0].answer_start | a character offset (an integer from 0) is expected, found the string \"0\"",
            ],
            Validation.Describe(report));
        Assert.Equal(1, report.LabelCounts[QuestionAnsweringData.NoAnswer]);
    }
}
