using BertPlatform.GpuRunner.Pretraining;
using BertPlatform.Shared.Tokenization;
using BertPlatform.TestSupport;

namespace BertPlatform.GpuRunner.Tests.Pretraining;

public sealed class PretrainingVocabularyTests
{
    [Fact]
    public void The_multilingual_vocabulary_loads_with_its_special_ids_and_continuation_pieces()
    {
        var vocabulary = PretrainingVocabulary.Load(Path.Combine(TestAssets.MultilingualVocab, "vocab.txt"));
        Assert.Equal(119_547, vocabulary.Count);
        Assert.Equal(101, vocabulary.ClsId);
        Assert.Equal(102, vocabulary.SepId);
        Assert.Equal(103, vocabulary.MaskId);
        Assert.True(vocabulary.IsContinuation(vocabulary.TryGetId("##中")!.Value));
        Assert.False(vocabulary.IsContinuation(vocabulary.TryGetId("中")!.Value));
        Assert.Equal(10105, vocabulary.TryGetId("the"));
    }

    [Fact]
    public void A_vocabulary_without_mask_or_with_a_duplicate_is_rejected()
    {
        var missing = Assert.Throws<ArgumentException>(() => new PretrainingVocabulary(["[PAD]", "[CLS]", "[SEP]", "a"]));
        Assert.Contains("[MASK]", missing.Message);
        var duplicate = Assert.Throws<ArgumentException>(() =>
            new PretrainingVocabulary(["[CLS]", "[SEP]", "[MASK]", "a", "a"]));
        Assert.Contains("'a' appears twice (ids 3 and 4)", duplicate.Message);
    }
}
