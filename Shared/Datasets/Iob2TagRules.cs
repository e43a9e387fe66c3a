namespace BertPlatform.Shared.Datasets;

/// <summary>
/// The IOB2 rules for a sentence's tags: <c>B-X</c> begins an entity of type X, <c>I-X</c> continues one and may only
/// follow <c>B-X</c> or <c>I-X</c>, <c>O</c> is outside. Nothing else is a tag: token classification is scored by
/// entity (seqeval, strict IOB2), so a POS tag such as <c>NN</c>, a BIOES <c>S-PER</c> or a lowercase <c>o</c> is
/// an error, not a label. Integer class ids (JSONL) stand for tags the job maps and are not checked here.
/// </summary>
internal static class Iob2TagRules
{
    /// <param name="locate">Where tag i is: its location and column.</param>
    public static void Check(IReadOnlyList<string> tags, Func<int, (string Location, string Column)> locate, List<DatasetError> errors)
    {
        string? previous = null;
        for (var i = 0; i < tags.Count; i++)
        {
            var tag = tags[i];
            if (tag != Outside && !IsPrefixed(tag) && !IsClassId(tag))
            {
                var (location, column) = locate(i);
                errors.Add(new DatasetError(location, column, $"the tag \"{JsonFields.Shorten(tag)}\" is outside the IOB2 scheme; tags are O, B-TYPE or I-TYPE"));
            }
            else if (IsPrefixed(tag) && tag.Length == 2)
            {
                var (location, column) = locate(i);
                errors.Add(new DatasetError(location, column, $"the tag \"{tag}\" has no entity type; B-TYPE or I-TYPE is expected"));
            }
            else if (tag.StartsWith("I-", StringComparison.Ordinal) && !Continues(previous, tag))
            {
                var (location, column) = locate(i);
                var after = previous is null ? "starts the sentence" : $"follows \"{previous}\"";
                errors.Add(new DatasetError(location, column,
                    $"the tag \"{tag}\" {after}; in IOB2 an entity starts with B-{tag[2..]} and I-{tag[2..]} only continues it"));
            }
            previous = tag;
        }
    }

    private const string Outside = "O";

    private static bool IsClassId(string tag) => tag.Length > 0 && tag.All(char.IsAsciiDigit);

    private static bool IsPrefixed(string tag) => tag.StartsWith("B-", StringComparison.Ordinal) || tag.StartsWith("I-", StringComparison.Ordinal);

    private static bool Continues(string? previous, string tag) =>
        previous is not null && IsPrefixed(previous) && previous.AsSpan(2).SequenceEqual(tag.AsSpan(2));
}
