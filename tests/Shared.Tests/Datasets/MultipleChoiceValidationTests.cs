using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Tasks;

namespace BertPlatform.Shared.Tests.Datasets;

public class MultipleChoiceValidationTests
{
    [Fact]
    public async Task Swag_style_records_validate_and_read()
    {
        const string jsonl =
            "{\"context\":\"She opens the door.\",\"question\":\"She\",\"endings\":[\"walks in.\",\"flies.\",\"melts.\",\"sings.\"],\"label\":0}\n" +
            "{\"context\":\"He sits.\",\"endings\":[\"a\",\"b\",\"c\",\"d\"],\"label\":\"3\"}\n";

        var report = await Validation.Run(jsonl, DatasetFormat.Jsonl, TaskType.MultipleChoice);

        Assert.True(report.IsValid, string.Join("\n", Validation.Describe(report)));
        Assert.Equal(1, report.LabelCounts["0"]);
        Assert.Equal(1, report.LabelCounts["3"]);
        using var file = new Validation.TempFile(jsonl);
        var examples = TaskCatalog.MultipleChoice.Read(file.Path, DatasetFormat.Jsonl, ColumnMapping.Default).ToList();
        Assert.Equal(new MultipleChoiceExample(1, "She opens the door.", "She", examples[0].Endings, 0), examples[0]);
        Assert.Null(examples[1].Question);
        Assert.Equal(3, examples[1].Label);
    }

    [Fact]
    public async Task Errors_name_the_line_and_field()
    {
        const string jsonl =
            "{\"context\":\"c\",\"endings\":[\"a\",\"b\",\"c\"],\"label\":1}\n" +
            "{\"context\":\"c\",\"endings\":[\"a\",\"b\"],\"label\":1}\n" +          // line 2: count varies
            "{\"context\":\"c\",\"endings\":[\"a\",\"b\",\"c\"],\"label\":3}\n" +    // line 3: label out of range
            "{\"context\":\"c\",\"endings\":[\"a\",\"\",\"c\"],\"label\":0}\n" +     // line 4: empty ending
            "{\"context\":\"\",\"endings\":[\"a\",\"b\",\"c\"],\"label\":\"x\"}\n" + // line 5
            "{\"context\":\"c\",\"endings\":\"a\"}\n";                             // line 6

        var report = await Validation.Run(jsonl, DatasetFormat.Jsonl, TaskType.MultipleChoice);

        Assert.Equal(
            [
                "line 2 | endings | 2 endings, but line 1 has 3; every record must offer the same number of choices",
                "line 3 | label | 3 is not the index of an ending; 0 to 2 are expected",
                "line 4 | endings[1] | the text is empty",
                "line 5 | context | the text is empty",
                "line 5 | label | the index of the right ending (an integer) is expected, found the string \"x\"",
                "line 6 | endings | the field 'endings' must be an array of candidate endings",
                "line 6 | label | the field 'label' is missing; the index of the right ending is expected",
            ],
            Validation.Describe(report));
    }
}
