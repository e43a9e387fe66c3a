namespace BertPlatform.Shared.Inference;

/// <summary>One word's predicted tag with its probability and its character span in the text (end exclusive).</summary>
public sealed record WordTag(string Tag, double Score, int Start, int End);

/// <summary>An entity: consecutive words of one type, with the mean of their scores and their text.</summary>
public sealed record PredictedEntity(string EntityGroup, double Score, string Word, int Start, int End);

/// <summary>
/// Groups per-word IOB2 tags into entities as transformers' token-classification pipeline groups them: a word tagged
/// <c>B-X</c> starts an entity of type X, <c>I-X</c> extends an open entity of type X (or starts one, as the pipeline
/// tolerates), <c>O</c> closes it; a tag without a B-/I- prefix is its own type and extends a run of that type. Each
/// word carries the tag of its first sub-word, so sub-words are merged into their word before grouping (the
/// pipeline's word-level strategies); the runner's <c>predict</c> verb tags words the same way.
/// </summary>
public static class EntityGrouping
{
    public const string Outside = "O";

    public static IReadOnlyList<PredictedEntity> Group(string text, IReadOnlyList<WordTag?> words)
    {
        var entities = new List<PredictedEntity>();
        string? type = null;
        var members = new List<WordTag>();
        void Close()
        {
            if (type is not null && members.Count > 0)
            {
                var (start, end) = (members[0].Start, members[^1].End);
                entities.Add(new PredictedEntity(type, members.Average(m => m.Score), text[start..end], start, end));
            }
            type = null;
            members.Clear();
        }
        foreach (var word in words)
        {
            if (word is null || word.Tag == Outside)
            {
                Close();
                continue;
            }
            var (begins, wordType) = Parse(word.Tag);
            if (begins || wordType != type) Close();
            type = wordType;
            members.Add(word);
        }
        Close();
        return entities;
    }

    private static (bool Begins, string Type) Parse(string tag) =>
        tag.Length > 2 && tag[1] == '-' && tag[0] is 'B' or 'I' ? (tag[0] == 'B', tag[2..]) : (false, tag);
}
