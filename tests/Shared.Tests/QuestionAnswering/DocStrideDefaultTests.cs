using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Tests.Tokenization;

namespace BertPlatform.Shared.Tests.QuestionAnswering;

/// <summary>A question-answering job that names no docStride gets one its windows can advance by, at any length.</summary>
public sealed class DocStrideDefaultTests
{
    [Theory]
    [InlineData(384, 64, 128)]  // SQuAD's settings: Google's and Hugging Face's stride
    [InlineData(512, 64, 128)]
    [InlineData(128, 64, 30)]   // the platform's default sequence: half of 128 - 64 - 3
    [InlineData(32, 8, 10)]
    [InlineData(8, 4, 1)]
    public void Without_a_stride_the_default_is_SQuADs_or_half_the_narrowest_window(int maxSequenceLength, int maxQuestionLength, int expected)
    {
        Assert.Equal(expected, new QuestionAnsweringOptions { MaxQuestionLength = maxQuestionLength }.DocStrideFor(maxSequenceLength));
    }

    [Fact]
    public void A_given_stride_is_kept()
    {
        Assert.Equal(50, new QuestionAnsweringOptions { DocStride = 50 }.DocStrideFor(128));
    }

    [Fact]
    public void The_default_windows_a_long_question_and_context_at_the_default_sequence_length()
    {
        var options = new QuestionAnsweringOptions();
        var question = string.Join(' ', Enumerable.Repeat("hello world", 50));   // longer than maxQuestionLength: cut to 64
        var context = string.Join(' ', Enumerable.Repeat("the world is", 100));
        var windows = Tokenizers.TinyCased.EncodeQuestionContext(question, context, 128, options.DocStrideFor(128), options.MaxQuestionLength);
        Assert.True(windows.Count > 1);
        Assert.All(windows, w => Assert.True(w.Length <= 128));
    }
}
