using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.QuestionAnswering;

namespace BertPlatform.Shared.Tests.QuestionAnswering;

public class AnswerDecoderTests
{
    private const string Capital = "Paris is the capital of France.";

    // [CLS] q q [SEP] Paris is the capital of France . [SEP]
    //   0   1 2   3     4    5   6     7      8    9  10  11     (question and specials carry no context offsets)
    private static readonly Range?[] CapitalOffsets =
        [null, null, null, null, 0..5, 6..8, 9..12, 13..20, 21..23, 24..30, 30..31, null];

    private static float[] Logits(int length, params (int Index, float Value)[] set)
    {
        var logits = new float[length];
        foreach (var (index, value) in set)
        {
            logits[index] = value;
        }

        return logits;
    }

    [Fact]
    public void Best_span_inside_the_context_wins_over_question_tokens()
    {
        // The question token 1 has the largest logits but no context offsets, so it is never a span.
        var window = new AnswerWindow(
            Logits(12, (1, 10), (9, 5), (4, 3)),
            Logits(12, (1, 10), (9, 4), (4, 1)),
            CapitalOffsets);

        var answer = AnswerDecoder.Decode(Capital, [window]);

        // France: 5 + 4 = 9; "Paris ... France" (start 4, end 9): 3 + 4 = 7; (start 9, end 4) has end < start.
        Assert.Equal("France", answer.Prediction);
        Assert.Equal(9.0, answer.NBest[0].Score);
        Assert.Equal((24, 30), (answer.NBest[0].ContextStart, answer.NBest[0].ContextEnd));
        Assert.Equal("Paris is the capital of France", answer.NBest[1].Text);
        Assert.Equal(7.0, answer.NBest[1].Score);
        Assert.Null(answer.NullScoreDifference);
        Assert.Equal(20, answer.NBest.Count);
        Assert.DoesNotContain(answer.NBest, candidate => candidate.IsNoAnswer);
    }

    [Fact]
    public void Max_answer_length_and_tie_order()
    {
        // Start peaks at Paris (4), end at France (9): 6 tokens, score 10.
        var window = new AnswerWindow(Logits(12, (4, 5)), Logits(12, (9, 5)), CapitalOffsets);

        Assert.Equal("Paris is the capital of France", AnswerDecoder.Decode(Capital, [window]).Prediction);

        // With at most 3 tokens that span is out. Best left: score 5, either start 4 with an end in 4..6 or an end 9
        // with a start in 7..9. The first enumerated wins the tie: start 4 (top start), then ends by logit with
        // lower index first among the zeros: 0..3 have no offsets, 4 -> "Paris".
        var shortAnswer = AnswerDecoder.Decode(Capital, [window], new QuestionAnsweringOptions { MaxAnswerLength = 3 });
        Assert.Equal("Paris", shortAnswer.Prediction);
        Assert.Equal(["Paris", "Paris is", "Paris is the"], shortAnswer.NBest.Take(3).Select(candidate => candidate.Text));
        Assert.All(shortAnswer.NBest, candidate => Assert.True(candidate.Score <= 5.0));
    }

    // "ab cd": [CLS]=0, "ab"=1 (0..2), "cd"=2 (3..5).
    private const string Short = "ab cd";
    private static readonly Range?[] ShortOffsets = [null, 0..2, 3..5];

    [Fact]
    public void N_best_scores_and_softmax_probabilities()
    {
        var window = new AnswerWindow([0, 2, 1], [0, 1, 2], ShortOffsets);

        var answer = AnswerDecoder.Decode(Short, [window]);

        // Pairs: (1,2) "ab cd" 2+2 = 4; (1,1) "ab" 2+1 = 3; (2,2) "cd" 1+2 = 3; (2,1) end < start; token 0 has no offsets.
        Assert.Equal(["ab cd", "ab", "cd"], answer.NBest.Select(candidate => candidate.Text));
        // softmax(4,3,3): 1/(1+2/e) = 0.5761168847658291, e^-1/(1+2/e) = 0.21194155761708544.
        Assert.Equal(0.5761168847658291, answer.NBest[0].Probability, 12);
        Assert.Equal(0.21194155761708544, answer.NBest[1].Probability, 12);
        Assert.Equal(0.21194155761708544, answer.NBest[2].Probability, 12);
    }

    [Fact]
    public void N_best_size_limits_start_and_end_tokens_tried()
    {
        var window = new AnswerWindow([0, 2, 1], [0, 1, 2], ShortOffsets);

        // Top-1 start is token 1, top-1 end token 2: only "ab cd".
        var answer = AnswerDecoder.Decode(Short, [window], new QuestionAnsweringOptions { NBestSize = 1 });

        Assert.Equal("ab cd", Assert.Single(answer.NBest).Text);
    }

    [Fact]
    public void V2_predicts_no_answer_when_the_null_score_beats_the_best_span_by_more_than_the_threshold()
    {
        // Null score = 3 + 2 = 5; best span "ab cd" = 4; difference 5 - 4 = 1.
        var window = new AnswerWindow([3, 2, 1], [2, 1, 2], ShortOffsets);

        var strict = AnswerDecoder.Decode(Short, [window], new QuestionAnsweringOptions { VersionTwoWithNegative = true });
        Assert.Equal("", strict.Prediction);
        Assert.Equal(1.0, strict.NullScoreDifference);
        Assert.True(strict.NBest[0].IsNoAnswer);
        Assert.Equal(5.0, strict.NBest[0].Score);

        // 1 > 1.5 is false: the span is kept. At exactly 1 the comparison is strict, so the span is kept too.
        Assert.Equal("ab cd", AnswerDecoder.Decode(Short, [window],
            new QuestionAnsweringOptions { VersionTwoWithNegative = true, NullScoreDiffThreshold = 1.5 }).Prediction);
        Assert.Equal("ab cd", AnswerDecoder.Decode(Short, [window],
            new QuestionAnsweringOptions { VersionTwoWithNegative = true, NullScoreDiffThreshold = 1.0 }).Prediction);

        // v1.1 decoding ignores the null answer altogether.
        var v1 = AnswerDecoder.Decode(Short, [window]);
        Assert.Equal("ab cd", v1.Prediction);
        Assert.DoesNotContain(v1.NBest, candidate => candidate.IsNoAnswer);
    }

    [Fact]
    public void Null_score_is_the_minimum_over_windows_and_spans_come_from_every_window()
    {
        // Window A: null 3+2 = 5, best span "ab cd" 4. Window B: null 0.5+0.5 = 1, its spans score 0.
        var windowA = new AnswerWindow([3, 2, 1], [2, 1, 2], ShortOffsets);
        var windowB = new AnswerWindow([0.5f, 0, 0], [0.5f, 0, 0], ShortOffsets);

        var answer = AnswerDecoder.Decode(Short, [windowA, windowB], new QuestionAnsweringOptions { VersionTwoWithNegative = true });

        // Null 1 (window B) - 4 = -3 <= 0: answer.
        Assert.Equal("ab cd", answer.Prediction);
        Assert.Equal(-3.0, answer.NullScoreDifference);
        var nullAnswer = Assert.Single(answer.NBest, candidate => candidate.IsNoAnswer);
        Assert.Equal(1.0, nullAnswer.Score);
        // 3 spans per window + null.
        Assert.Equal(7, answer.NBest.Count);
    }

    [Fact]
    public void Text_comes_from_the_original_context_through_the_offsets()
    {
        const string context = "Hello,   World!";
        // Second window covers only the tail of the context: [CLS] q [SEP] World ! [SEP].
        var window = new AnswerWindow([0, 0, 0, 4, 0, 0], [0, 0, 0, 3, 1, 0], [null, null, null, 9..14, 14..15, null]);

        var answer = AnswerDecoder.Decode(context, [window]);

        Assert.Equal("World", answer.Prediction);
        Assert.Equal("World!", answer.NBest[1].Text);
    }

    [Fact]
    public void No_span_fits_gives_an_empty_prediction()
    {
        // Only [CLS] and question tokens: nothing in the context to point at.
        var window = new AnswerWindow([1, 2], [1, 2], [null, null]);

        var v1 = AnswerDecoder.Decode(Short, [window]);
        Assert.Equal("", v1.Prediction);
        Assert.Empty(v1.NBest);

        var v2 = AnswerDecoder.Decode(Short, [window], new QuestionAnsweringOptions { VersionTwoWithNegative = true });
        Assert.Equal("", v2.Prediction);
        Assert.Equal(double.PositiveInfinity, v2.NullScoreDifference);
        Assert.Equal(1.0, Assert.Single(v2.NBest).Probability);
    }

    [Fact]
    public void Inconsistent_windows_are_rejected_with_their_position()
    {
        var lengths = Assert.Throws<ArgumentException>(() =>
            AnswerDecoder.Decode(Short, [new AnswerWindow([0, 1, 2], [0, 1, 2], ShortOffsets), new AnswerWindow([0, 1], [0, 1, 2], ShortOffsets)]));
        Assert.Contains("window 1", lengths.Message);

        var outside = Assert.Throws<ArgumentException>(() =>
            AnswerDecoder.Decode(Short, [new AnswerWindow([0, 1, 2], [0, 1, 2], [null, 0..2, 3..9])]));
        Assert.Contains("token 2", outside.Message);

        Assert.Throws<ArgumentException>(() => AnswerDecoder.Decode(Short, []));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            AnswerDecoder.Decode(Short, [new AnswerWindow([0, 1, 2], [0, 1, 2], ShortOffsets)], new QuestionAnsweringOptions { NBestSize = 0 }));
    }
}
