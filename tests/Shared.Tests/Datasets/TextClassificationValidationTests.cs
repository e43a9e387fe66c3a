using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Tasks;

namespace BertPlatform.Shared.Tests.Datasets;

public class TextClassificationValidationTests
{
    [Fact]
    public async Task Valid_csv_with_quotes_commas_and_line_breaks_in_fields_counts_rows_and_labels()
    {
        const string csv = "text,label\n" +
                           "\"Great, really great\",positive\n" +
                           "\"He said \"\"no\"\"\",negative\n" +
                           "\"two\nlines\",positive\n";

        var report = await Validation.Run(csv, DatasetFormat.Csv, TaskType.TextClassification);

        Assert.True(report.IsValid, string.Join("\n", Validation.Describe(report)));
        Assert.Equal(3, report.RowCount);
        Assert.Equal(["text", "label"], report.Columns);
        Assert.Equal(2, report.LabelCounts["positive"]);
        Assert.Equal(1, report.LabelCounts["negative"]);
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(csv), report.Bytes);
    }

    [Fact]
    public async Task Missing_label_column_is_reported_against_the_header()
    {
        var report = await Validation.Run("text,category\nhello,a\n", DatasetFormat.Csv, TaskType.TextClassification);

        var error = Validation.Single(report);
        Assert.Equal("header", error.Location);
        Assert.Equal("label", error.Column);
        Assert.Contains("'text', 'category'", error.Message);
    }

    [Fact]
    public async Task Row_errors_name_the_data_row_and_column()
    {
        const string csv = "text,label\n" +
                           "fine,a\n" +
                           " ,a\n" +            // row 2: empty text
                           "fine,\n" +          // row 3: empty label
                           "too,many,fields\n" + // row 4
                           "\"multi\nline\",b\n" + // row 5 spans two lines
                           "x\"y,a\n";           // row 6: stray quote

        var report = await Validation.Run(csv, DatasetFormat.Csv, TaskType.TextClassification);

        Assert.Equal(6, report.RowCount);
        Assert.Equal(4, report.ErrorCount);
        Assert.Equal(
            [
                "row 2 | text | the text is empty",
                "row 3 | label | the label is empty",
                "row 4 | column 3 | 3 fields found, 2 expected as in the header",
                "row 6 |  | a quote inside an unquoted field; quote the whole field and double the quotes inside it",
            ],
            Validation.Describe(report));
    }

    [Fact]
    public async Task Tsv_takes_quotes_literally_and_reads_a_text_pair()
    {
        const string tsv = "text\ttext_pair\tlabel\n" +
                           "He said \"hi\"\tHe greeted\tentailment\n" +
                           "\"quoted\tA\tneutral\n";

        var report = await Validation.Run(tsv, DatasetFormat.Tsv, TaskType.TextClassification);

        Assert.True(report.IsValid, string.Join("\n", Validation.Describe(report)));
        Assert.Equal(2, report.RowCount);
        using var file = new Validation.TempFile(tsv);
        var examples = TaskCatalog.TextClassification.Read(file.Path, DatasetFormat.Tsv, ColumnMapping.Default).ToList();
        Assert.Equal("He said \"hi\"", examples[0].Text);
        Assert.Equal("He greeted", examples[0].TextPair);
        Assert.Equal("\"quoted", examples[1].Text);
        Assert.Equal(["neutral"], examples[1].Labels);
    }

    [Fact]
    public async Task Column_mapping_picks_other_columns()
    {
        var columns = new ColumnMapping { Text = "sentence1", TextPair = "sentence2", Label = "gold" };
        const string csv = "id,sentence1,sentence2,gold\n1,a,b,1\n2,c,,0\n";

        var report = await Validation.Run(csv, DatasetFormat.Csv, TaskType.TextClassification, columns: columns);

        var error = Validation.Single(report);
        Assert.Equal(("row 2", "sentence2"), (error.Location, error.Column));
        Assert.Equal(1, report.LabelCounts["1"]);
    }

    [Fact]
    public async Task Regression_labels_must_be_floats_and_are_not_counted_as_classes()
    {
        const string csv = "text,text_pair,label\na,b,3.5\nc,d,1e-1\ne,f,high\ng,h,NaN\n";

        var report = await Validation.Run(csv, DatasetFormat.Csv, TaskType.TextClassification, ProblemType.Regression);

        Assert.Equal(
            [
                "row 3 | label | \"high\" is not a number; regression labels are floats such as 3.5",
                "row 4 | label | NaN is not a finite number",
            ],
            Validation.Describe(report));
        Assert.Empty(report.LabelCounts);
    }

    [Fact]
    public async Task Multi_label_csv_cells_are_comma_separated_lists()
    {
        const string csv = "text,label\na,\"sports,politics\"\nb,\nc,\"x, x\"\n";

        var report = await Validation.Run(csv, DatasetFormat.Csv, TaskType.TextClassification, ProblemType.MultiLabelClassification);

        Assert.Equal(["row 3 | label | the label \"x\" is listed twice"], Validation.Describe(report));
        Assert.Equal(1, report.LabelCounts["sports"]);
        Assert.Equal(1, report.LabelCounts["politics"]);
    }

    [Fact]
    public async Task Valid_jsonl_accepts_names_or_integer_labels_and_skips_blank_lines()
    {
        const string names = "{\"text\":\"good\",\"label\":\"pos\"}\n\n{\"text\":\"bad\",\"label\":\"neg\",\"extra\":1}\r\n";
        const string indices = "{\"text\":\"good\",\"label\":1}\n\n{\"text\":\"bad\",\"label\":\"0\"}\r\n";

        var report = await Validation.Run(names, DatasetFormat.Jsonl, TaskType.TextClassification);
        var byIndex = await Validation.Run(indices, DatasetFormat.Jsonl, TaskType.TextClassification);

        Assert.True(report.IsValid, string.Join("\n", Validation.Describe(report)));
        Assert.Equal(2, report.RowCount);
        Assert.Equal(["text", "label", "extra"], report.Columns);
        Assert.Equal(1, report.LabelCounts["pos"]);
        Assert.True(byIndex.IsValid, string.Join("\n", Validation.Describe(byIndex)));
        Assert.Equal(1, byIndex.LabelCounts["0"]);
    }

    [Fact]
    public async Task Jsonl_errors_name_the_line_and_field()
    {
        const string jsonl =
            "{\"text\":\"ok\",\"label\":\"a\"}\n" +
            "{\"text\":\"\",\"label\":\"a\"}\n" +          // line 2
            "{\"label\":\"a\"}\n" +                       // line 3
            "{\"text\":\"ok\",\"label\":0.5}\n" +          // line 4
            "{\"text\":\"ok\",\"label\":[\"a\"]}\n" +      // line 5
            "{\"text\":\"ok\",\"label\":\"a\"\n" +         // line 6 truncated
            "[1,2]\n" +                                   // line 7
            "{\"text\":\"ok\",\"text_pair\":\"p\",\"label\":\"a\"}\n" + // line 8
            "{\"text\":5,\"label\":true}\n";              // line 9

        var report = await Validation.Run(jsonl, DatasetFormat.Jsonl, TaskType.TextClassification, ProblemType.SingleLabelClassification);

        var errors = Validation.Describe(report);
        Assert.Equal(9, report.RowCount);
        Assert.Equal("line 2 | text | the text is empty", errors[0]);
        Assert.Equal("line 3 | text | the field 'text' is missing; a non-empty string is expected", errors[1]);
        Assert.Equal("line 4 | label | 0.5 is not a class index; labels are names or integers (use the regression problem type for scores)", errors[2]);
        Assert.Equal("line 5 | label | one label is expected for single-label classification, found an array (use multi_label_classification for label lists)", errors[3]);
        Assert.StartsWith("line 6 | byte 25 | not valid JSON:", errors[4]);
        Assert.Equal("line 7 |  | a JSON object is expected, found an array", errors[5]);
        Assert.Equal("line 8 | text_pair | a text pair, but the first record (line 1) has none; either every record has a pair or none does", errors[6]);
        Assert.Equal("line 9 | text | a string is expected, found the number 5", errors[7]);
        Assert.Equal("line 9 | label | a label name or class index is expected, found true", errors[8]);
        Assert.Equal(9, report.ErrorCount);
    }

    [Fact]
    public async Task Jsonl_multi_label_arrays_and_regression_numbers()
    {
        var multi = await Validation.Run("{\"text\":\"a\",\"label\":[\"x\",\"y\"]}\n{\"text\":\"b\",\"label\":\"x\"}\n",
            DatasetFormat.Jsonl, TaskType.TextClassification, ProblemType.MultiLabelClassification);
        Assert.Equal(["line 2 | label | an array of labels is expected for multi-label classification, found the string \"x\""], Validation.Describe(multi));
        Assert.Equal(1, multi.LabelCounts["y"]);

        var regression = await Validation.Run("{\"text\":\"a\",\"label\":0.25}\n{\"text\":\"b\",\"label\":\"4\"}\n{\"text\":\"c\",\"label\":[1]}\n",
            DatasetFormat.Jsonl, TaskType.TextClassification, ProblemType.Regression);
        Assert.Equal(["line 3 | label | a number is expected for regression, found an array"], Validation.Describe(regression));
    }

    [Fact]
    public async Task Without_a_problem_type_the_first_label_shape_decides()
    {
        var report = await Validation.Run("{\"text\":\"a\",\"label\":[\"x\",\"y\"]}\n{\"text\":\"b\",\"label\":\"x\"}\n",
            DatasetFormat.Jsonl, TaskType.TextClassification);

        Assert.Equal(["line 2 | label | a single label, but line 1 has an array of labels; every record must use the same shape"], Validation.Describe(report));
    }

    [Fact]
    public async Task Empty_dataset_and_header_only_csv_are_invalid()
    {
        Assert.Equal("header: the file is empty; a header row naming the columns is expected",
            Validation.Single(await Validation.Run("", DatasetFormat.Csv, TaskType.TextClassification)).ToString());
        Assert.Equal("line 1: the dataset has no examples",
            Validation.Single(await Validation.Run("text,label\n", DatasetFormat.Csv, TaskType.TextClassification)).ToString());
        Assert.Equal("line 1: the dataset has no examples",
            Validation.Single(await Validation.Run("\n\n", DatasetFormat.Jsonl, TaskType.TextClassification)).ToString());
    }

    [Fact]
    public async Task A_format_the_task_cannot_use_is_an_error()
    {
        var report = await Validation.Run("{}", DatasetFormat.Squad, TaskType.TextClassification);

        Assert.Equal("dataset: the format 'squad' cannot hold text_classification data; use csv, tsv or jsonl", Validation.Single(report).ToString());
    }

    [Fact]
    public async Task Only_the_first_hundred_errors_are_listed_but_all_are_counted()
    {
        var csv = "text,label\n" + string.Concat(Enumerable.Repeat(",a\n", 250));

        var report = await Validation.Run(csv, DatasetFormat.Csv, TaskType.TextClassification);

        Assert.Equal(250, report.ErrorCount);
        Assert.Equal(100, report.Errors.Count);
        Assert.Equal("row 100", report.Errors[^1].Location);
    }
}
