using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Insight;
using BertPlatform.Shared.Tasks;
using BertPlatform.Shared.Tests.Tokenization;

namespace BertPlatform.Shared.Tests.Insight;

/// <summary>Where a dataset tags its rows' languages, the report's language mix is those tags, for every task.</summary>
public sealed class PreflightLanguageColumnTests
{
    private static readonly Hyperparameters hp = new() { MaxSequenceLength = 64, BatchSize = 2, Epochs = 1 };
    private static readonly GpuProfile gpu = TestGpu.Profile();

    private static DatasetProfile Profile<T>(TaskData<T> data, TaskType task, IEnumerable<T> rows) where T : class =>
        PreflightAnalyzer.Analyze(new PreflightInput("tiny", "ds", rows.Select(row => data.PreflightExamplesOf(row, null))),
            Tokenizers.TinyCased, new PreflightSettings(task, hp, QuestionAnswering: new QuestionAnsweringOptions { DocStride = 16 }), gpu).Training;

    private static readonly Dictionary<string, int> TwoGermanOneEnglish = new() { ["de"] = 2, ["en"] = 1 };

    [Fact]
    public void Token_classification_reads_the_sentences_tags()
    {
        var profile = Profile(TaskCatalog.TokenClassification, TaskType.TokenClassification,
        [
            new TokenClassificationExample(1, ["the", "world"], ["O", "O"], "de"),
            new TokenClassificationExample(2, ["hello", "world"], ["B-PER", "O"], "en"),
            new TokenClassificationExample(3, ["the", "hello"], ["O", "B-PER"], "de"),
        ]);
        Assert.Equal(TwoGermanOneEnglish, profile.Languages);
        Assert.Equal("column", profile.LanguageSource);
    }

    [Fact]
    public void Question_answering_reads_the_questions_tags()
    {
        var profile = Profile(TaskCatalog.QuestionAnswering, TaskType.QuestionAnswering,
        [
            new QuestionAnsweringExample("q1", "the world", "hello world the", [new AnswerSpan("world", 6)], false, "de"),
            new QuestionAnsweringExample("q2", "the hello", "hello world the", [new AnswerSpan("hello", 0)], false, "en"),
            new QuestionAnsweringExample("q3", "world the", "hello world the", [], true, "de"),
        ]);
        Assert.Equal(TwoGermanOneEnglish, profile.Languages);
        Assert.Equal("column", profile.LanguageSource);
    }

    [Fact]
    public void Multiple_choice_reads_the_items_tags()
    {
        var profile = Profile(TaskCatalog.MultipleChoice, TaskType.MultipleChoice,
        [
            new MultipleChoiceExample(1, "the world", null, ["hello", "the"], 0, "de"),
            new MultipleChoiceExample(2, "hello world", null, ["the", "world"], 1, "en"),
            new MultipleChoiceExample(3, "the hello", null, ["world", "hello"], 0, "de"),
        ]);
        Assert.Equal(TwoGermanOneEnglish, profile.Languages);
        Assert.Equal("column", profile.LanguageSource);
    }
}
