using BertPlatform.Shared.Tasks;
using BertPlatform.Shared.Metrics;

namespace BertPlatform.Shared.Tests.Metrics;

public class TokenClassificationMetricsTests
{
    private static IReadOnlyList<IReadOnlyList<string>> Sentences(params string[][] sentences) => sentences;

    [Fact]
    public void Strict_extraction_starts_entities_only_at_b_tags()
    {
        var entities = StrictIob2Entities.Extract(["B-PER", "I-PER", "O", "B-LOC", "I-PER", "B-LOC", "B-LOC", "I-LOC"]);

        // B-PER I-PER -> PER[0,2); B-LOC then I-PER (other type) -> LOC[3,4) and the stray I-PER is no entity;
        // B-LOC B-LOC I-LOC -> LOC[5,6) and LOC[6,8).
        Assert.Equal(
            [new TaggedEntity(0, "PER", 0, 2), new TaggedEntity(0, "LOC", 3, 4), new TaggedEntity(0, "LOC", 5, 6), new TaggedEntity(0, "LOC", 6, 8)],
            entities);
    }

    [Fact]
    public void Invalid_i_starts_are_not_entities_in_strict_mode()
    {
        // conlleval's lenient rules would read I-PER I-PER as one PER entity; seqeval strict reads none.
        Assert.Empty(StrictIob2Entities.Extract(["I-PER", "I-PER", "O", "I-LOC"]));
    }

    [Fact]
    public void Bare_prefix_gets_the_placeholder_type()
    {
        Assert.Equal([new TaggedEntity(0, "_", 0, 2)], StrictIob2Entities.Extract(["B", "I"]));
    }

    [Fact]
    public void Seqeval_documentation_example()
    {
        // seqeval's docstring: MISC is found one token early (wrong span), PER exactly. Micro P = R = F1 = 1/2;
        // MISC 0, PER 1.
        var references = Sentences(["O", "O", "O", "B-MISC", "I-MISC", "I-MISC", "O"], ["B-PER", "I-PER", "O"]);
        var predictions = Sentences(["O", "O", "B-MISC", "I-MISC", "I-MISC", "I-MISC", "O"], ["B-PER", "I-PER", "O"]);

        var metrics = TokenClassificationMetrics.Compute(references, predictions);

        Assert.Equal(0.5, metrics[MetricNames.Precision]);
        Assert.Equal(0.5, metrics[MetricNames.Recall]);
        Assert.Equal(0.5, metrics[MetricNames.F1]);
        Assert.Equal(0.0, metrics["MISC_f1"]);
        Assert.Equal(1.0, metrics["PER_f1"]);
        Assert.Equal(1.0, metrics["MISC_number"]);
        // Tokens: 10, two differ (positions 2 and 3 of sentence 0) -> 0.8.
        Assert.Equal(0.8, metrics[MetricNames.Accuracy], 12);
        Assert.Contains(TaskCatalog.TokenClassification.PrimaryMetric(null), metrics.Keys);
    }

    [Fact]
    public void Micro_average_over_types_with_a_missed_type()
    {
        var references = Sentences(["B-PER", "I-PER", "O", "B-LOC", "O", "B-ORG"]);
        var predictions = Sentences(["B-PER", "I-PER", "O", "O", "O", "B-LOC"]);

        var metrics = TokenClassificationMetrics.Compute(references, predictions);

        // True PER[0,2) LOC[3,4) ORG[5,6); predicted PER[0,2) (hit) LOC[5,6) (miss).
        // TP 1, predicted 2, true 3: P = 1/2, R = 1/3, F1 = 2*(1/6)/(5/6) = 0.4.
        Assert.Equal(0.5, metrics[MetricNames.Precision], 12);
        Assert.Equal(1.0 / 3, metrics[MetricNames.Recall], 12);
        Assert.Equal(0.4, metrics[MetricNames.F1], 12);
        Assert.Equal(1.0, metrics["PER_precision"]);
        Assert.Equal(0.0, metrics["LOC_precision"]);
        // ORG never predicted: precision 0/0 -> 0, recall 0/1.
        Assert.Equal(0.0, metrics["ORG_precision"]);
        Assert.Equal(0.0, metrics["ORG_recall"]);
        Assert.Equal(1.0, metrics["ORG_number"]);
    }

    [Fact]
    public void No_predicted_entities_gives_zero_precision_not_nan()
    {
        var references = Sentences(["B-PER", "I-PER", "O"]);
        // The stray I- start is no entity in strict mode, so nothing is predicted.
        var predictions = Sentences(["I-PER", "I-PER", "O"]);

        var metrics = TokenClassificationMetrics.Compute(references, predictions);

        Assert.Equal(0.0, metrics[MetricNames.Precision]);
        Assert.Equal(0.0, metrics[MetricNames.Recall]);
        Assert.Equal(0.0, metrics[MetricNames.F1]);
    }

    [Fact]
    public void No_true_entities_gives_zero_recall_and_zero_precision_for_false_alarms()
    {
        var metrics = TokenClassificationMetrics.Compute(Sentences(["O", "O"]), Sentences(["B-PER", "O"]));

        // TP 0 of 1 predicted: P = 0; recall 0/0 -> 0.
        Assert.Equal(0.0, metrics[MetricNames.Precision]);
        Assert.Equal(0.0, metrics[MetricNames.Recall]);
        Assert.Equal(0.0, metrics[MetricNames.F1]);
        Assert.Equal(0.0, metrics["PER_number"]);
    }

    [Fact]
    public void No_entities_anywhere_scores_zero_with_full_token_accuracy()
    {
        var metrics = TokenClassificationMetrics.Compute(Sentences(["O", "O"]), Sentences(["O", "O"]));

        Assert.Equal(0.0, metrics[MetricNames.F1]);
        Assert.Equal(1.0, metrics[MetricNames.Accuracy]);
    }

    [Fact]
    public void Perfect_tagging_scores_one()
    {
        var tags = Sentences(["B-PER", "I-PER", "O", "B-LOC"], ["B-ORG"]);
        var metrics = TokenClassificationMetrics.Compute(tags, tags);
        Assert.Equal(1.0, metrics[MetricNames.F1]);
        Assert.Equal(1.0, metrics[MetricNames.Precision]);
        Assert.Equal(1.0, metrics[MetricNames.Recall]);
    }

    [Fact]
    public void Same_span_in_another_sentence_is_not_a_match()
    {
        // PER[0,1) in sentence 0 versus PER[0,1) in sentence 1: different entities.
        var metrics = TokenClassificationMetrics.Compute(Sentences(["B-PER"], ["O"]), Sentences(["O"], ["B-PER"]));
        Assert.Equal(0.0, metrics[MetricNames.F1]);
    }

    [Fact]
    public void Tags_outside_iob2_and_length_mismatches_are_rejected()
    {
        var scheme = Assert.Throws<ArgumentException>(() => StrictIob2Entities.Extract(["O", "S-PER"], sentence: 4));
        Assert.Contains("Sentence 4, token 1", scheme.Message);
        Assert.Contains("'S-PER'", scheme.Message);
        Assert.Throws<ArgumentException>(() => StrictIob2Entities.Extract([""]));
        var lengths = Assert.Throws<ArgumentException>(() =>
            TokenClassificationMetrics.Compute(Sentences(["O", "O"]), Sentences(["O"])));
        Assert.Contains("Sentence 0", lengths.Message);
    }
}
