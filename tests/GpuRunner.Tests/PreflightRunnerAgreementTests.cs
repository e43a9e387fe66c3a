using BertPlatform.GpuRunner.Tasks;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Insight;
using BertPlatform.Shared.QuestionAnswering;
using BertPlatform.Shared.Tasks;
using BertPlatform.Shared.Tokenization;

namespace BertPlatform.GpuRunner.Tests;

/// <summary>
/// The pre-flight report measures what the runner will encode: on seeded random examples, the QA answer rule and
/// the multiple-choice lengths of the report agree with the runner's own feature encoders.
/// </summary>
public sealed class PreflightRunnerAgreementTests
{
    private static readonly string[] words = ["the", "world", "hello", "is", "of", "and", "in", "to", "play", "Paris", "café", "über"];
    private static readonly BertTextTokenizer tokenizer = BertTextTokenizer.Load(TinyBert.Root);

    private static string Words(Random random, int count) => string.Join(' ', Enumerable.Range(0, count).Select(_ => words[random.Next(words.Length)]));

    [Fact]
    public void Answer_windows_agree_with_the_runners_question_answering_features()
    {
        var random = new Random(7);
        var options = new QuestionAnsweringOptions { DocStride = 3, MaxQuestionLength = 5 };
        int located = 0, missed = 0;
        for (var i = 0; i < 300; i++)
        {
            var context = Words(random, random.Next(3, 40));
            var answerWords = context.Split(' ');
            var first = random.Next(answerWords.Length);
            var last = Math.Min(answerWords.Length - 1, first + random.Next(6));
            var start = string.Join(' ', answerWords[..first]).Length + (first > 0 ? 1 : 0);
            var text = string.Join(' ', answerWords[first..(last + 1)]);
            var example = new QuestionAnsweringExample($"q{i}", Words(random, random.Next(1, 8)), context, [new AnswerSpan(text, start)], false);

            var features = QuestionAnsweringTask.Encode(0, example, tokenizer, 20, options).ToList();
            var windows = tokenizer.EncodeQuestionContext(example.Question, example.Context, 20, options.DocStrideFor(20), options.MaxQuestionLength);
            Assert.Equal(features.Count, windows.Count);
            for (var w = 0; w < windows.Count; w++)
            {
                var span = AnswerTokenSpan.Locate(windows[w], start, start + text.Length) ?? (0, 0);
                Assert.Equal((features[w].StartPosition, features[w].EndPosition), span);
            }
            if (features.Any(f => f.StartPosition != 0)) located++; else missed++;
        }
        // Both outcomes occur, so the agreement covers answers inside and outside every window.
        Assert.True(located > 0 && missed > 0, $"located {located}, missed {missed}");
    }

    [Fact]
    public void Multiple_choice_lengths_and_lost_tokens_agree_with_the_runners_encoding()
    {
        var random = new Random(11);
        for (var i = 0; i < 100; i++)
        {
            var example = new MultipleChoiceExample(i, Words(random, random.Next(1, 8)), random.Next(2) == 0 ? null : Words(random, 2),
                Enumerable.Range(0, 3).Select(_ => Words(random, random.Next(1, 6))).ToArray(), 0);
            var full = MultipleChoiceTask.Encode(example, tokenizer, 512).InputIds.Select(ids => ids.Length).ToArray();
            var kept = MultipleChoiceTask.Encode(example, tokenizer, 10).InputIds.Select(ids => ids.Length).ToArray();

            var profile = PreflightAnalyzer.Analyze(new PreflightInput("tiny", "ds", [TaskCatalog.MultipleChoice.PreflightExamplesOf(example, null)]), tokenizer,
                new PreflightSettings(TaskType.MultipleChoice, new Hyperparameters { MaxSequenceLength = 10 }), new GpuProfile()).Training;
            Assert.Equal(full.Max(), profile.TokensPerExample.Max);
            Assert.Equal(full.Zip(kept).Sum(pair => pair.First - pair.Second), profile.TokensLost);
        }
    }
}
