using BertPlatform.Shared.Inference;

namespace BertPlatform.Shared.Tests.Inference;

public sealed class EntityGroupingTests
{
    private const string Text = "alice smith met bob jones in new york";

    private static WordTag? Word(string tag, int start, int end, double score = 0.9) => new(tag, score, start, end);

    [Fact]
    public void B_starts_and_I_extends_an_entity_with_the_mean_score_and_the_text_span()
    {
        var entities = EntityGrouping.Group(Text,
        [
            Word("B-PER", 0, 5, 0.8), Word("I-PER", 6, 11, 0.6), Word("O", 12, 15),
            Word("B-PER", 16, 19), Word("B-PER", 20, 25), Word("O", 26, 28), Word("B-LOC", 29, 32), Word("I-LOC", 33, 37),
        ]);
        Assert.Equal(["alice smith", "bob", "jones", "new york"], entities.Select(e => e.Word));
        Assert.Equal(["PER", "PER", "PER", "LOC"], entities.Select(e => e.EntityGroup));
        Assert.Equal(0.7, entities[0].Score, 12);
        Assert.Equal((29, 37), (entities[3].Start, entities[3].End));
    }

    [Fact]
    public void I_of_another_type_starts_a_new_entity_and_untagged_words_close_one()
    {
        var entities = EntityGrouping.Group(Text,
            [Word("I-PER", 0, 5), Word("I-LOC", 6, 11), null, Word("I-LOC", 16, 19), Word("MISC", 20, 25), Word("MISC", 26, 28)]);
        Assert.Equal([("PER", "alice"), ("LOC", "smith"), ("LOC", "bob"), ("MISC", "jones in")], entities.Select(e => (e.EntityGroup, e.Word)));
    }

    [Fact]
    public void Only_outside_tags_give_no_entities() =>
        Assert.Empty(EntityGrouping.Group(Text, [Word("O", 0, 5), Word("O", 6, 11)]));
}
