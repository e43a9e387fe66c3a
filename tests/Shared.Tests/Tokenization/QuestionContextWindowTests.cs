using BertPlatform.Shared.Tokenization;

namespace BertPlatform.Shared.Tests.Tokenization;

/// <summary>SQuAD-style overflowing windows over the context, on the real mBERT vocabulary.</summary>
public sealed class QuestionContextWindowTests
{
    private static readonly BertTextTokenizer tokenizer = Tokenizers.Multilingual;

    private const string Question = "Wann wurde die Universität München gegründet?";

    private static readonly string context = string.Join(" ", Enumerable.Range(1, 12).Select(i =>
        $"Satz {i}: Die Ludwig-Maximilians-Universität München wurde 1472 in Ingolstadt gegründet, 中国 日本 Straße."));

    [Theory]
    [InlineData(64, 16)]
    [InlineData(48, 0)]
    [InlineData(40, 20)]
    public void Windows_overlap_by_the_stride_and_cover_the_whole_context(int maxLength, int stride)
    {
        var contextTokens = tokenizer.Tokenize(context);
        var questionTokens = tokenizer.Tokenize(Question);

        var windows = tokenizer.EncodeQuestionContext(Question, context, maxLength, stride);

        Assert.True(windows.Count > 2);
        var windowSize = maxLength - questionTokens.Count - 3;
        var expectedStart = 0;
        foreach (var window in windows)
        {
            Assert.InRange(window.Length, 1, maxLength);
            Assert.Equal(tokenizer.ClsTokenId, window.InputIds[0]);
            Assert.Equal(questionTokens.Select(t => t.Id), window.InputIds.Skip(1).Take(questionTokens.Count));
            Assert.Equal(tokenizer.SepTokenId, window.InputIds[questionTokens.Count + 1]);
            Assert.Equal(tokenizer.SepTokenId, window.InputIds[^1]);

            var contextPositions = Enumerable.Range(0, window.Length).Where(i => window.SequenceIds[i] == 1).ToArray();
            Assert.All(contextPositions, i => Assert.Equal(1, window.TokenTypeIds[i]));
            Assert.Equal(contextTokens.Skip(expectedStart).Take(windowSize).Select(t => t.Span),
                contextPositions.Select(i => window.Offsets[i]!.Value));
            Assert.Equal(contextTokens.Count - contextPositions.Length, window.TruncatedTokenCount);
            expectedStart += windowSize - stride;
        }
        var last = windows[^1];
        Assert.Equal(contextTokens[^1].Span, last.Offsets[^2]);
        Assert.True(expectedStart - (windowSize - stride) + windowSize >= contextTokens.Count);
        Assert.True(expectedStart - 2 * (windowSize - stride) + windowSize < contextTokens.Count, "one window too many");
    }

    [Fact]
    public void Context_offsets_point_into_the_context_and_question_offsets_into_the_question()
    {
        var window = tokenizer.EncodeQuestionContext(Question, context, 384, 128).Single();

        for (var i = 0; i < window.Length; i++)
        {
            var source = window.SequenceIds[i] switch { 0 => Question, 1 => context, _ => null };
            if (source is null)
            {
                Assert.Null(window.Offsets[i]);
                continue;
            }
            var token = window.Tokens[i];
            Assert.Equal(token.StartsWith("##", StringComparison.Ordinal) ? token[2..] : token, window.Offsets[i]!.Value.Slice(source));
        }
    }

    [Fact]
    public void Long_questions_are_cut_to_max_question_tokens()
    {
        var longQuestion = string.Join(" ", Enumerable.Repeat("Wann wurde die Universität gegründet?", 20));

        var windows = tokenizer.EncodeQuestionContext(longQuestion, context, 128, 32, maxQuestionTokens: 10);

        Assert.All(windows, w => Assert.Equal(10, w.SequenceIds.Count(s => s == 0)));
        Assert.All(windows, w => Assert.True(w.Length <= 128));
    }

    [Fact]
    public void Short_and_empty_contexts_give_one_window()
    {
        var single = tokenizer.EncodeQuestionContext(Question, "In 1472.", 64, 16);
        var empty = tokenizer.EncodeQuestionContext(Question, "", 64, 16);

        Assert.Single(single);
        Assert.Equal(0, single[0].TruncatedTokenCount);
        Assert.Single(empty);
        Assert.DoesNotContain(1, empty[0].SequenceIds);
    }

    [Fact]
    public void A_stride_that_cannot_advance_is_rejected()
    {
        var questionTokens = tokenizer.Tokenize(Question).Count;
        var window = 32 - questionTokens - 3;

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.EncodeQuestionContext(Question, context, 32, window));
        Assert.Contains($"[0, {window})", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.EncodeQuestionContext(Question, context, questionTokens + 3, 0));
    }
}
