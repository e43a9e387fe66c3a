using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Tasks;

namespace BertPlatform.Shared.Tests.Datasets;

public class TokenClassificationValidationTests
{
    private const string Conll2003 =
        "-DOCSTART- -X- -X- O\n" +
        "\n" +
        "EU NNP B-NP B-ORG\n" +
        "rejects VBZ B-VP O\n" +
        "German JJ B-NP B-MISC\n" +
        "call NN I-NP O\n" +
        "\n" +
        "Peter NNP B-NP B-PER\n" +
        "Blackburn NNP I-NP I-PER\n";

    [Fact]
    public async Task Conll_2003_with_four_columns_reads_token_and_last_column_and_counts_tags()
    {
        var report = await Validation.Run(Conll2003, DatasetFormat.Conll, TaskType.TokenClassification);

        Assert.True(report.IsValid, string.Join("\n", Validation.Describe(report)));
        Assert.Equal(2, report.RowCount);
        Assert.Equal(["token", "column 2", "column 3", "tag"], report.Columns);
        Assert.Equal(2, report.LabelCounts["O"]);
        Assert.Equal(1, report.LabelCounts["I-PER"]);

        using var file = new Validation.TempFile(Conll2003);
        var sentences = TaskCatalog.TokenClassification.Read(file.Path, DatasetFormat.Conll, ColumnMapping.Default).ToList();
        Assert.Equal(["EU", "rejects", "German", "call"], sentences[0].Tokens);
        Assert.Equal(["B-ORG", "O", "B-MISC", "O"], sentences[0].Tags);
        Assert.Equal(3, sentences[0].Row);
        Assert.Equal(["B-PER", "I-PER"], sentences[1].Tags);
    }

    [Fact]
    public async Task Conll_errors_name_the_line()
    {
        const string conll =
            "EU\tB-ORG\n" +
            "rejects\n" +           // line 2: no tag
            "\tO\n" +               // line 3: empty token
            "\n" +
            "Peter\tO\n" +
            "Blackburn\tI-PER\n" +  // line 6: I- after O
            "\n" +
            "Paris\tI-LOC\n" +      // line 8: I- starts the sentence
            "\n" +
            "x\tB-\n";              // line 10: no type

        var report = await Validation.Run(conll, DatasetFormat.Conll, TaskType.TokenClassification);

        Assert.Equal(4, report.RowCount);
        Assert.Equal(
            [
                "line 2 |  | a token and its tag are expected, separated by a tab or spaces; found one field",
                "line 3 | token | the token is empty",
                "line 6 | tag | the tag \"I-PER\" follows \"O\"; in IOB2 an entity starts with B-PER and I-PER only continues it",
                "line 8 | tag | the tag \"I-LOC\" starts the sentence; in IOB2 an entity starts with B-LOC and I-LOC only continues it",
                "line 10 | tag | the tag \"B-\" has no entity type; B-TYPE or I-TYPE is expected",
            ],
            Validation.Describe(report));
    }

    [Fact]
    public async Task Iob2_rejects_an_inside_tag_of_another_type_and_tags_outside_the_scheme()
    {
        var report = await Validation.Run("New\tB-LOC\nYork\tI-ORG\n\nThe\tDT\ncat\tO\nsat\tS-PER\n", DatasetFormat.Conll, TaskType.TokenClassification);

        Assert.Equal([
                "line 2 | tag | the tag \"I-ORG\" follows \"B-LOC\"; in IOB2 an entity starts with B-ORG and I-ORG only continues it",
                "line 4 | tag | the tag \"DT\" is outside the IOB2 scheme; tags are O, B-TYPE or I-TYPE",
                "line 6 | tag | the tag \"S-PER\" is outside the IOB2 scheme; tags are O, B-TYPE or I-TYPE",
            ],
            Validation.Describe(report));
    }

    [Fact]
    public async Task Jsonl_tokens_and_tags_must_match_and_be_non_empty()
    {
        const string jsonl =
            "{\"tokens\":[\"EU\",\"rejects\"],\"tags\":[\"B-ORG\",\"O\"]}\n" +
            "{\"tokens\":[\"a\",\"b\"],\"tags\":[\"O\"]}\n" +                // line 2
            "{\"tokens\":[\"a\",\" \"],\"tags\":[\"O\",\"O\"]}\n" +          // line 3
            "{\"tokens\":[],\"tags\":[]}\n" +                               // line 4
            "{\"tokens\":[\"a\",\"b\"],\"tags\":[\"O\",\"I-PER\"]}\n" +      // line 5
            "{\"tokens\":[\"a\"],\"tags\":[3]}\n" +                         // line 6: integer tag ids are fine
            "{\"tokens\":\"a b\",\"tags\":[\"O\"]}\n";                       // line 7

        var report = await Validation.Run(jsonl, DatasetFormat.Jsonl, TaskType.TokenClassification);

        Assert.Equal(
            [
                "line 2 | tags | 1 tags for 2 tokens; one tag per token is expected",
                "line 3 | tokens[1] | the token is empty",
                "line 4 | tokens | the sentence has no tokens",
                "line 5 | tags[1] | the tag \"I-PER\" follows \"O\"; in IOB2 an entity starts with B-PER and I-PER only continues it",
                "line 7 | tokens | an array of strings is expected, found the string \"a b\"",
            ],
            Validation.Describe(report));
        Assert.Equal(1, report.LabelCounts["3"]);
    }

    [Fact]
    public async Task Token_classification_in_csv_is_a_format_error()
    {
        var report = await Validation.Run("a,b\n", DatasetFormat.Csv, TaskType.TokenClassification);

        Assert.Equal("dataset: the format 'csv' cannot hold token_classification data; use conll or jsonl", Validation.Single(report).ToString());
    }
}
