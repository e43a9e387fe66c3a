namespace BertPlatform.Shared.Metrics;

/// <summary>
/// Entity extraction under seqeval's strict mode with the IOB2 scheme: an entity starts only at a <c>B-X</c> tag and
/// runs over the <c>I-X</c> tags (same type) that follow it. An <c>I-</c> tag that does not continue a chunk of its own
/// type (after <c>O</c>, at the start, or after another type) belongs to no entity; the lenient conlleval rules would
/// have started one there. Tags must be <c>O</c> or start with <c>B</c>/<c>I</c>; the type is what follows the
/// prefix with its <c>-</c> delimiters trimmed, <c>_</c> when empty (so a bare <c>B</c> is an entity of type <c>_</c>).
/// </summary>
public static class StrictIob2Entities
{
    public static IReadOnlyList<TaggedEntity> Extract(IReadOnlyList<string> tags, int sentence = 0)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var parsed = new (char Prefix, string Type)[tags.Count];
        for (var i = 0; i < tags.Count; i++)
        {
            parsed[i] = Parse(tags[i], sentence, i);
        }

        var entities = new List<TaggedEntity>();
        var position = 0;
        while (position < parsed.Length)
        {
            if (parsed[position].Prefix != 'B')
            {
                position++;
                continue;
            }

            var type = parsed[position].Type;
            var end = position + 1;
            while (end < parsed.Length && parsed[end].Prefix == 'I' && parsed[end].Type == type)
            {
                end++;
            }

            entities.Add(new TaggedEntity(sentence, type, position, end));
            position = end;
        }

        return entities;
    }

    public static IReadOnlyList<TaggedEntity> Extract(IReadOnlyList<IReadOnlyList<string>> sentences)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        return sentences.SelectMany((tags, sentence) => Extract(tags, sentence)).ToList();
    }

    private static (char Prefix, string Type) Parse(string tag, int sentence, int position)
    {
        if (string.IsNullOrEmpty(tag) || tag[0] is not ('B' or 'I' or 'O'))
        {
            throw new ArgumentException(
                $"Sentence {sentence}, token {position}: tag '{tag}' is not IOB2; expected 'O', 'B-<type>' or 'I-<type>'.");
        }

        var type = tag[1..].Trim('-');
        return (tag[0], type.Length == 0 ? "_" : type);
    }
}
