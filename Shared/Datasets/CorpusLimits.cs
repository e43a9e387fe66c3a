namespace BertPlatform.Shared.Datasets;

/// <summary>Bounds that keep a corpus document in memory small and catch files that are not sentence-per-line text.</summary>
internal static class CorpusLimits
{
    /// <summary>Longest sentence line, in characters.</summary>
    public const int MaxLineLength = 100_000;

    /// <summary>Largest document, in characters; a corpus without blank lines would otherwise be one document.</summary>
    public const int MaxDocumentLength = 8_000_000;

    public const string NoSentence = "the corpus has no sentence at all; pre-training needs text, one sentence per line";

    public static string LineTooLong(long length) =>
        $"the line is {length:N0} characters long; at most {MaxLineLength:N0} are expected (one sentence per line)";

    public static string DocumentTooLong(string firstLocation) =>
        $"the document starting at {firstLocation} is longer than {MaxDocumentLength:N0} characters; separate documents with a blank line";
}
