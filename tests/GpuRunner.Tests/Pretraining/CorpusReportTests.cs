using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.GpuRunner.Pretraining;
using BertPlatform.Shared.Tasks;
using BertPlatform.Shared.Tokenization;
using BertPlatform.TestSupport;

namespace BertPlatform.GpuRunner.Tests.Pretraining;

public sealed class CorpusReportTests
{
    [Fact]
    public void Word_pieces_and_unknown_tokens_are_counted_under_the_vocabulary()
    {
        var directory = Directory.CreateTempSubdirectory("corpus-report-").FullName;
        try
        {
            var vocabPath = Path.Combine(directory, "vocab.txt");
            File.WriteAllLines(vocabPath, ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "##s", "."]);
            var tokenizer = BertTextTokenizer.Create(vocabPath, new BertTokenizerSettings(DoLowerCase: true, StripAccents: true, TokenizeChineseChars: true));
            var document = new CorpusDocument(["The cats sat.", "the dog"]);
            var report = new CorpusReport();

            report.Add(document, document.Sentences.Select(s => (IReadOnlyList<string>)tokenizer.Tokenize(s).Select(t => t.Token).ToArray()).ToArray(), "[UNK]");

            // the cat ##s sat . | the [UNK]: 7 pieces, 1 unknown.
            Assert.Equal((1, 2, 5, 7, 1), (report.Documents, report.Sentences, report.Words, report.WordPieceTokens, report.UnknownTokens));
            Assert.Equal(1.0 / 7, report.UnknownRate, 12);
            Assert.Contains("7 WordPiece tokens under the test vocabulary", report.Describe("the test vocabulary"));
            Assert.Contains("1 [UNK] (14.29%)", report.Describe("the test vocabulary"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void The_runner_counts_a_hand_counted_file_as_its_upload_report_does()
    {
        // tests/fixtures/corpus/austen-openings.txt: 3 documents, 7 sentences, 23+47 + 21+7 + 23+17+14 = 152 words.
        var path = Path.Combine(TestAssets.Fixtures, "corpus", "austen-openings.txt");
        var report = new CorpusReport();
        foreach (var document in TaskCatalog.Pretraining.Read(path, DatasetFormat.Text, ColumnMapping.Default))
            report.Add(document, [], "[UNK]");
        Assert.Equal((3, 7, 152), (report.Documents, report.Sentences, report.Words));
    }

    [Fact]
    public void The_unigram_baseline_is_the_share_of_the_most_frequent_masked_token()
    {
        int[] Labels(params int[] masked) => [.. masked, PretrainingInstance.NotPredicted];
        PretrainingInstance Instance(int[] labels) => new(new int[labels.Length], new int[labels.Length], labels, [0], false);
        var baseline = UnigramBaseline.Of([Instance(Labels(7, 7, 9)), Instance(Labels(7, 5)), Instance(Labels(9))]);
        Assert.Equal((7, 3L, 6L), (baseline.TokenId, baseline.Hits, baseline.Predictions));
        Assert.Equal(0.5, baseline.Accuracy, 12);
    }
}
