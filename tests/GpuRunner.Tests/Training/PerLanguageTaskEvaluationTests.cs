using BertPlatform.GpuRunner.Modeling;
using BertPlatform.GpuRunner.Pretraining;
using BertPlatform.GpuRunner.Tasks;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Metrics;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tests.Training;

/// <summary>
/// Token classification, question answering, multiple choice and pre-training score each language of a mixed-language
/// evaluation set apart, on that language's examples alone, and the parts add up to the whole.
/// </summary>
public sealed class PerLanguageTaskEvaluationTests
{
    private static readonly LabelSpace nerTags = new(["O", "B-PER", "I-PER", "B-LOC"]);

    /// <summary>A sentence of [CLS] w1 … wn [SEP], each word one piece; logits put 1 on the predicted tag of each word.</summary>
    private static (TokenClassificationFeature Feature, string[] Predicted) Sentence(string language, string[] gold, string[] predicted)
    {
        int?[] wordIds = [null, .. Enumerable.Range(0, gold.Length).Select(i => (int?)i), null];
        return (new TokenClassificationFeature(new int[wordIds.Length], new int[wordIds.Length], wordIds, gold, language), predicted);
    }

    private static Tensor TagLogits(IReadOnlyList<(TokenClassificationFeature Feature, string[] Predicted)> batch)
    {
        var width = batch.Max(s => s.Feature.Length);
        var values = new float[batch.Count * width * nerTags.Count];
        for (var row = 0; row < batch.Count; row++)
            for (var word = 0; word < batch[row].Predicted.Length; word++)
                values[(row * width + word + 1) * nerTags.Count + nerTags.IdOf(batch[row].Predicted[word], "test")] = 1f;
        return tensor(values, [batch.Count, width, nerTags.Count]);
    }

    [Fact]
    public void Token_classification_scores_each_languages_sentences_alone()
    {
        // en: every entity found. de: one person missed, one location tagged as a person. Languages interleave across batches.
        (TokenClassificationFeature Feature, string[] Predicted)[] sentences =
        [
            Sentence("en", ["B-PER", "I-PER", "O", "B-LOC"], ["B-PER", "I-PER", "O", "B-LOC"]),
            Sentence("de", ["B-PER", "O", "B-LOC"], ["O", "O", "B-LOC"]),
            Sentence("en", ["O", "B-LOC"], ["O", "B-LOC"]),
            Sentence("de", ["B-LOC", "O", "B-PER"], ["B-PER", "O", "B-PER"]),
            Sentence("en", ["B-PER", "O"], ["B-PER", "O"]),
        ];
        var task = new TokenClassificationTask(nerTags, padTokenId: 0, labelAllSubwords: false);
        var evaluation = task.BeginEvaluation();
        foreach (var batch in sentences.Chunk(2)) evaluation.Add(batch.Select(s => s.Feature).ToArray(), new BertOutput { Logits = TagLogits(batch) });

        var metrics = evaluation.Complete();
        var languages = MetricBreakdown.LanguageTable(metrics);

        Assert.Equal(["de", "en"], languages.Keys);
        Assert.Equal([2.0, 3.0], languages.Values.Select(l => l[MetricBreakdown.Count]));
        // en's sentences are all right; the overall F1 is lower, so de's errors were counted apart from en's.
        Assert.Equal(1.0, languages["en"][MetricNames.F1]);
        Assert.True(metrics[MetricNames.F1] < 0.9, $"overall F1 {metrics[MetricNames.F1]}");
        // Each language's metrics are the overall entity and token metrics computed on its sentences alone; the
        // per-type figures (PER_f1 …) stay overall.
        foreach (var (language, row) in languages)
        {
            var own = sentences.Where(s => s.Feature.Language == language).ToArray();
            var expected = TokenClassificationMetrics.Compute(own.Select(s => (IReadOnlyList<string>)s.Feature.WordTags).ToArray(),
                own.Select(s => (IReadOnlyList<string>)s.Predicted).ToArray());
            string[] reported = [MetricNames.Accuracy, MetricNames.F1, MetricNames.Precision, MetricNames.Recall];
            Assert.Equal(reported.Select(m => (m, expected[m])), reported.Select(m => (m, row[m])));
            Assert.Equal([.. reported.Append(MetricBreakdown.Count).Order(StringComparer.Ordinal)], row.Keys);
        }
        Assert.Contains("PER_f1", metrics.Keys);
        // de: 2 of 3 predicted entities right, 2 of 4 gold ones found; en: 4 of 4 and 4 of 4. Overall 6 of 7 and 6 of
        // 8: micro-averaged over all sentences, not a mean of the languages' figures.
        Assert.Equal((2.0 / 3, 0.5), (languages["de"][MetricNames.Precision], languages["de"][MetricNames.Recall]));
        Assert.Equal((6.0 / 7, 0.75), (metrics[MetricNames.Precision], metrics[MetricNames.Recall]));
    }

    [Fact]
    public void Multiple_choice_accuracy_per_language_adds_up_to_the_overall()
    {
        // (gold, predicted, language): en 2 of 3, fr 1 of 1, ja 0 of 2.
        (int Gold, int Predicted, string Language)[] items = [(0, 0, "en"), (1, 1, "fr"), (2, 0, "ja"), (1, 1, "en"), (3, 2, "en"), (0, 1, "ja")];
        var evaluation = new MultipleChoiceTask(padTokenId: 0).BeginEvaluation();
        foreach (var batch in items.Chunk(4))
        {
            var logits = tensor(batch.SelectMany(i => Enumerable.Range(0, 4).Select(c => c == i.Predicted ? 1f : 0f)).ToArray(), [batch.Length, 4]);
            evaluation.Add(batch.Select(i => new MultipleChoiceFeature([[1], [1], [1], [1]], [[0], [0], [0], [0]], i.Gold, i.Language)).ToArray(),
                new BertOutput { Logits = logits });
        }

        var metrics = evaluation.Complete();
        var languages = MetricBreakdown.LanguageTable(metrics);

        Assert.Equal(["en", "fr", "ja"], languages.Keys);
        Assert.Equal(items.Length, languages.Values.Sum(l => l[MetricBreakdown.Count]));
        Assert.Equal(0.5, metrics[MetricNames.Accuracy], 12);
        Assert.Equal([2.0 / 3, 1.0, 0.0], languages.Values.Select(l => l[MetricNames.Accuracy]));
        Assert.Equal(metrics[MetricNames.Accuracy], languages.Values.Sum(l => l[MetricBreakdown.Count] * l[MetricNames.Accuracy]) / items.Length, 12);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Pretraining_scores_each_documents_language_and_the_parts_add_up(bool languagesKnown)
    {
        // (masked label per position, predicted token per position, next-sentence label, predicted, language) over 4 positions.
        (int[] Labels, int[] Predicted, bool RandomNext, int PredictedNext, string Language)[] instances =
        [
            ([-100, 3, 4, -100], [0, 3, 4, 0], false, 0, "en"),  // MLM 2 of 2, NSP right
            ([-100, 2, -100, -100], [0, 1, 0, 0], true, 1, "en"), // MLM 0 of 1, NSP right
            ([-100, 2, 3, 4], [0, 2, 0, 0], false, 1, "de"),      // MLM 1 of 3, NSP wrong
            ([-100, -100, 1, -100], [0, 0, 1, 0], true, 1, "de"), // MLM 1 of 1, NSP right
        ];
        var evaluation = new PretrainingTask(padTokenId: 0, unigramAccuracy: 0.25).BeginEvaluation();
        foreach (var batch in instances.Chunk(3)) // languages cross batches
        {
            var logits = tensor(batch.SelectMany(i => i.Predicted.SelectMany(p => Enumerable.Range(0, 5).Select(v => v == p ? 2f : 0f))).ToArray(), [batch.Length, 4, 5]);
            var next = tensor(batch.SelectMany(i => new[] { i.PredictedNext == 0 ? 1f : 0f, i.PredictedNext == 1 ? 1f : 0f }).ToArray(), [batch.Length, 2]);
            evaluation.Add(batch.Select(i => new PretrainingFeature(
                new PretrainingInstance([1, 1, 1, 1], [0, 0, 1, 1], i.Labels, i.Labels.Select((l, p) => (l, p)).Where(x => x.l != -100).Select(x => x.p).ToArray(), i.RandomNext),
                languagesKnown ? i.Language : null)).ToArray(), new BertOutput { Logits = logits, SeqRelationshipLogits = next });
        }

        var metrics = evaluation.Complete();
        Assert.Equal(4.0 / 7, metrics["mlm_accuracy"], 12);
        Assert.Equal(0.75, metrics["nsp_accuracy"], 12);
        Assert.Equal(0.25, metrics[MetricNames.MlmUnigramAccuracy]);
        var languages = MetricBreakdown.LanguageTable(metrics);
        if (!languagesKnown)
        {
            Assert.Empty(languages);
            return;
        }
        Assert.Equal(["de", "en"], languages.Keys);
        Assert.Equal([2.0, 2.0], languages.Values.Select(l => l[MetricBreakdown.Count]));
        Assert.Equal(0.5, languages["de"]["mlm_accuracy"], 12);
        Assert.Equal(2.0 / 3, languages["en"]["mlm_accuracy"], 12);
        Assert.Equal([0.5, 1.0], languages.Values.Select(l => l["nsp_accuracy"]));
        // Masked-LM loss is a mean over predictions (de 4, en 3), next-sentence figures over pairs.
        Assert.Equal(metrics["mlm_loss"], (4 * languages["de"]["mlm_loss"] + 3 * languages["en"]["mlm_loss"]) / 7, 5);
        Assert.Equal(metrics["nsp_loss"], (languages["de"]["nsp_loss"] + languages["en"]["nsp_loss"]) / 2, 5);
    }

    private const string Context = "anna lives in paris and bob works at acme";

    /// <summary>Character ranges of the context's words.</summary>
    private static readonly Range[] words = WordRanges(Context);

    private static Range[] WordRanges(string text)
    {
        var (ranges, start) = (new List<Range>(), 0);
        foreach (var word in text.Split(' '))
        {
            ranges.Add(new Range(start, start + word.Length));
            start += word.Length + 1;
        }
        return ranges.ToArray();
    }

    /// <summary>
    /// A window [CLS] q [SEP] w_from … w_to [SEP] over the context's words; its logits point at the words
    /// <paramref name="answerFrom"/>..<paramref name="answerTo"/> (context word indices) with the given strength.
    /// </summary>
    private static (QuestionAnsweringFeature Feature, float[] Start, float[] End) Window(int index, EvaluatedQuestion question,
        int from, int to, int answerFrom, int answerTo, float strength)
    {
        var length = 3 + (to - from + 1) + 1;
        var offsets = new Range?[length];
        for (var w = from; w <= to; w++) offsets[3 + w - from] = words[w];
        var (start, end) = (new float[length], new float[length]);
        start[3 + answerFrom - from] = strength;
        end[3 + answerTo - from] = strength;
        return (new QuestionAnsweringFeature(index, new int[length], new int[length], 0, 0, offsets, question), start, end);
    }

    private static EvaluatedQuestion Question(string id, string answer, string language) =>
        new(new QuestionAnsweringExample(id, "?", Context, [new AnswerSpan(answer, Context.IndexOf(answer, StringComparison.Ordinal))], false), language);

    [Fact]
    public void Question_answering_groups_windows_by_question_and_scores_each_language()
    {
        var q = new[]
        {
            Question("q0", "anna", "en"), Question("q1", "paris", "en"), Question("q2", "bob", "de"),
            Question("q3", "acme", "de"), Question("q4", "in paris", "sw"),
        };
        // en: q0 right, q1 "in paris" (F1 2/3). de: q2 right, q3 wrong ("bob"). sw: q4 has two windows
        // (doc stride); the second, stronger one holds the right answer: one question, not two.
        (QuestionAnsweringFeature Feature, float[] Start, float[] End)[] windows =
        [
            Window(0, q[0], 0, 8, 0, 0, 5f), Window(1, q[1], 0, 8, 2, 3, 5f), Window(2, q[2], 0, 8, 5, 5, 5f),
            Window(3, q[3], 0, 8, 5, 5, 5f), Window(4, q[4], 0, 4, 0, 1, 1f), Window(4, q[4], 2, 8, 2, 3, 9f),
        ];
        var task = new QuestionAnsweringTask(new QuestionAnsweringOptions(), withUnanswerable: false, padTokenId: 0);
        var evaluation = task.BeginEvaluation();
        foreach (var batch in windows.Chunk(4))
        {
            var width = batch.Max(w => w.Feature.Length);
            float[] Padded(Func<(QuestionAnsweringFeature, float[] Start, float[] End), float[]> pick) =>
                batch.SelectMany(w => pick(w).Concat(new float[width - pick(w).Length])).ToArray();
            evaluation.Add(batch.Select(w => w.Feature).ToArray(), new BertOutput
            {
                StartLogits = tensor(Padded(w => w.Start), [batch.Length, width]),
                EndLogits = tensor(Padded(w => w.End), [batch.Length, width]),
            });
        }

        var metrics = evaluation.Complete();
        var languages = MetricBreakdown.LanguageTable(metrics);

        Assert.Equal(["de", "en", "sw"], languages.Keys);
        Assert.Equal([2.0, 2.0, 1.0], languages.Values.Select(l => l[MetricBreakdown.Count]));
        Assert.Equal(5, metrics[MetricNames.Total]);
        Assert.Equal([50.0, 50.0, 100.0], languages.Values.Select(l => l[MetricNames.Exact]));
        Assert.Equal(50.0, languages["de"][MetricNames.F1], 9);
        Assert.Equal(100.0 * (1 + 2.0 / 3) / 2, languages["en"][MetricNames.F1], 9);
        Assert.Equal(100.0, languages["sw"][MetricNames.F1], 9);
        foreach (var metric in new[] { MetricNames.Exact, MetricNames.F1 })
            Assert.Equal(metrics[metric], languages.Values.Sum(l => l[MetricBreakdown.Count] * l[metric]) / 5, 9);
    }
}
