using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Tasks;

namespace BertPlatform.Shared.Tests.Datasets;

public class DatasetReaderTests
{
    [Fact]
    public void Reads_csv_examples_with_their_rows_and_labels()
    {
        using var file = new Validation.TempFile("text,text_pair,label\n\"a, b\",c,1\n\"multi\nline\",d,0\n");

        var examples = TaskCatalog.TextClassification.Read(file.Path, DatasetFormat.Csv, ColumnMapping.Default).ToList();

        Assert.Equal(
            [
                new TextClassificationExample(1, "a, b", "c", examples[0].Labels),
                new TextClassificationExample(2, "multi\nline", "d", examples[1].Labels),
            ],
            examples);
        Assert.Equal(["1"], examples[0].Labels);
        Assert.Equal(["0"], examples[1].Labels);
    }

    [Fact]
    public void Problem_type_decides_how_labels_are_read()
    {
        using var csv = new Validation.TempFile("text,label\na,\"x,y\"\nb,0.75\n");
        using var jsonl = new Validation.TempFile("{\"text\":\"a\",\"label\":[\"x\",\"y\"]}\n{\"text\":\"b\",\"label\":[]}\n");

        var multi = TaskCatalog.TextClassification.Read(csv.Path, DatasetFormat.Csv, ColumnMapping.Default, ProblemType.MultiLabelClassification).ToList();
        var single = TaskCatalog.TextClassification.Read(csv.Path, DatasetFormat.Csv, ColumnMapping.Default).ToList();
        var inferred = TaskCatalog.TextClassification.Read(jsonl.Path, DatasetFormat.Jsonl, ColumnMapping.Default).ToList();

        Assert.Equal(["x", "y"], multi[0].Labels);
        Assert.Equal(["0.75"], multi[1].Labels);
        Assert.Equal(["x,y"], single[0].Labels);
        Assert.Equal(["x", "y"], inferred[0].Labels);
        Assert.Empty(inferred[1].Labels);
    }

    [Fact]
    public void Regression_values_come_back_in_invariant_form()
    {
        using var file = new Validation.TempFile("{\"text\":\"a\",\"text_pair\":\"b\",\"label\":4}\n{\"text\":\"c\",\"text_pair\":\"d\",\"label\":\"0.5\"}\n");

        var examples = TaskCatalog.TextClassification.Read(file.Path, DatasetFormat.Jsonl, ColumnMapping.Default, ProblemType.Regression).ToList();

        Assert.Equal(["4"], examples[0].Labels);
        Assert.Equal(["0.5"], examples[1].Labels);
    }

    [Fact]
    public void Yields_examples_before_the_bad_row_then_throws_with_its_location()
    {
        using var file = new Validation.TempFile("text,label\na,x\nb,\nc,y\n");
        var read = new List<string>();

        var exception = Assert.Throws<DatasetFormatException>(() =>
        {
            foreach (var example in TaskCatalog.TextClassification.Read(file.Path, DatasetFormat.Csv, ColumnMapping.Default)) read.Add(example.Text);
        });

        Assert.Equal(["a"], read);
        Assert.Equal(new DatasetError("row 2", "label", "the label is empty"), exception.Error);
    }

    [Fact]
    public void Unsupported_format_throws_on_enumeration()
    {
        using var file = new Validation.TempFile("x");

        var exception = Assert.Throws<DatasetFormatException>(() =>
            TaskCatalog.MultipleChoice.Read(file.Path, DatasetFormat.Csv, ColumnMapping.Default).ToList());

        Assert.Equal("dataset: the format 'csv' cannot hold multiple_choice data; use jsonl", exception.Message);
    }

    [Fact]
    public void Token_classification_jsonl_reads_integer_tag_ids_as_text()
    {
        using var file = new Validation.TempFile("{\"words\":[\"EU\",\"rejects\"],\"ner\":[3,0]}\n");

        var example = Assert.Single(TaskCatalog.TokenClassification.Read(file.Path, DatasetFormat.Jsonl,
            new ColumnMapping { Tokens = "words", Tags = "ner" }));

        Assert.Equal(["EU", "rejects"], example.Tokens);
        Assert.Equal(["3", "0"], example.Tags);
        Assert.Equal(1, example.Row);
    }
}
