using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Tasks;

namespace BertPlatform.Shared.Tests.Datasets;

public class CorpusValidationTests
{
    [Fact]
    public async Task Text_corpus_splits_documents_on_blank_lines()
    {
        const string corpus = "First sentence.\n  Second sentence.  \n\nOther document.\n\n";

        var report = await Validation.Run(corpus, DatasetFormat.Text, TaskType.Pretraining);

        Assert.True(report.IsValid, string.Join("\n", Validation.Describe(report)));
        Assert.Equal(2, report.RowCount);
        Assert.Empty(report.LabelCounts);
        using var file = new Validation.TempFile(corpus);
        var documents = TaskCatalog.Pretraining.Read(file.Path, DatasetFormat.Text, ColumnMapping.Default).ToList();
        Assert.Equal(["First sentence.", "Second sentence."], documents[0].Sentences);
        Assert.Equal(["Other document."], documents[1].Sentences);
    }

    [Fact]
    public async Task The_upload_report_counts_documents_sentences_and_words_of_a_hand_counted_file()
    {
        // 3 documents; 2 + 2 + 3 sentences; words per sentence counted by hand: 23, 47 | 21, 7 | 23, 17, 14.
        // The fourth sentence has a double space and a tab between words, which separate words like one space.
        var content = await File.ReadAllBytesAsync(Path.Combine(BertPlatform.TestSupport.TestAssets.Fixtures, "corpus", "austen-openings.txt"));

        var report = await Validation.Run(content, DatasetFormat.Text, TaskType.Pretraining);

        Assert.True(report.IsValid, string.Join("\n", Validation.Describe(report)));
        Assert.Equal(new CorpusCounts(3, 7, 152), report.Corpus);
        Assert.Equal(3, report.RowCount);
    }

    [Fact]
    public async Task Reports_of_labelled_datasets_have_no_corpus_counts()
    {
        var report = await Validation.Run("text,label\nfine day,pos\n", DatasetFormat.Csv, TaskType.TextClassification);
        Assert.True(report.IsValid, string.Join("\n", Validation.Describe(report)));
        Assert.Null(report.Corpus);
    }

    [Fact]
    public async Task Empty_documents_and_over_long_lines_are_errors()
    {
        var corpus = "\nA.\n\n\nB.\n" + new string('x', 100_001) + "\n\nC.\n";

        var report = await Validation.Run(corpus, DatasetFormat.Text, TaskType.Pretraining);

        Assert.Equal(
            [
                "line 1 |  | the file starts with a blank line, an empty document",
                "line 4 |  | a second blank line makes an empty document; documents are separated by one blank line",
                "line 6 |  | the line is 100,001 characters long; at most 100,000 are expected (one sentence per line)",
            ],
            Validation.Describe(report));
        Assert.Equal(5, report.RowCount);
    }

    [Fact]
    public async Task Jsonl_corpus_splits_sentences_on_newlines()
    {
        const string jsonl = "{\"text\":\"One.\\nTwo.\\n\\n\"}\n{\"text\":\"  \"}\n{\"body\":\"x\"}\n";

        var report = await Validation.Run(jsonl, DatasetFormat.Jsonl, TaskType.Pretraining);

        Assert.Equal(
            [
                "line 2 | text | the text is empty",
                "line 3 | text | the field 'text' is missing; a non-empty string is expected",
            ],
            Validation.Describe(report));
        using var file = new Validation.TempFile("{\"text\":\"One.\\nTwo.\\n\\n\"}\n");
        Assert.Equal(["One.", "Two."], Assert.Single(TaskCatalog.Pretraining.Read(file.Path, DatasetFormat.Jsonl, ColumnMapping.Default)).Sentences);
    }
}
