using System.Runtime.CompilerServices;

namespace BertPlatform.Shared.Datasets;

/// <summary>
/// CoNLL-style token classification: one token per line with its tag in the last column (CoNLL-2003's
/// <c>token POS chunk NER</c> works as is), columns separated by tabs or else by spaces, a blank line between
/// sentences, <c>-DOCSTART-</c> lines ignored. Errors name the line of the token at fault. Every token line has the
/// column count of the first: where it changes, which column is the tag can only be guessed, so it is an error.
/// </summary>
internal sealed class ConllTokenClassificationParser : DatasetParser<TokenClassificationExample>
{
    public const int MaxLineLength = 100_000;

    /// <summary>Longer "sentences" are almost always a file whose blank separator lines were lost.</summary>
    public const int MaxTokensPerSentence = 10_000;

    public override async IAsyncEnumerable<ParsedRecord<TokenClassificationExample>> ParseAsync(
        Stream utf8Content, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var lines = BoundedLineReader.Open(utf8Content, MaxLineLength);
        var sentence = new Sentence();
        while (true)
        {
            var line = await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null || line.Value.IsBlank || line.Value.Text?.StartsWith("-DOCSTART-", StringComparison.Ordinal) == true)
            {
                if (sentence.FirstLine > 0) yield return sentence.Finish();
                if (line is null) yield break;
                continue;
            }
            sentence.Add(line.Value, this);
        }
    }

    /// <summary>The column count of the file's first token line, and that line.</summary>
    private (int Count, long Line)? layout;

    /// <summary>Null when <paramref name="count"/> matches the file's layout, else why not.</summary>
    private string? LayoutProblem(int count, long line)
    {
        layout ??= (count, line);
        return layout.Value.Count == count
            ? null
            : $"{count} columns, but line {layout.Value.Line} has {layout.Value.Count}; every token line needs the same columns, the tag in the last";
    }

    private void NameColumns(int count)
    {
        if (Columns.Count > 0) return;
        AddColumn("token");
        for (var i = 2; i < count; i++) AddColumn($"column {i}");
        AddColumn("tag");
    }

    /// <summary>The sentence being read; reset by <see cref="Finish"/>.</summary>
    private sealed class Sentence
    {
        private readonly List<string> tokens = [];
        private readonly List<string> tags = [];
        private readonly List<long> lineNumbers = [];
        private List<DatasetError> errors = [];
        private int lineCount;

        public long FirstLine { get; private set; }

        public void Add(TextLine line, ConllTokenClassificationParser parser)
        {
            if (FirstLine == 0) FirstLine = line.Number;
            var location = $"line {line.Number}";
            if (++lineCount > MaxTokensPerSentence)
            {
                if (lineCount == MaxTokensPerSentence + 1)
                    errors.Add(new DatasetError(location, null, $"the sentence starting at line {FirstLine} has more than {MaxTokensPerSentence:N0} tokens; is a blank line missing between sentences?"));
                return;
            }
            if (line.Text is null)
            {
                errors.Add(new DatasetError(location, null, $"the line is {line.Length:N0} characters long; at most {MaxLineLength:N0} are expected"));
                return;
            }
            var fields = line.Text.Contains('\t')
                ? line.Text.Split('\t')
                : line.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2)
            {
                errors.Add(new DatasetError(location, null, "a token and its tag are expected, separated by a tab or spaces; found one field"));
                return;
            }
            if (parser.LayoutProblem(fields.Length, line.Number) is { } layoutProblem)
            {
                errors.Add(new DatasetError(location, $"column {fields.Length}", layoutProblem));
                return;
            }
            parser.NameColumns(fields.Length);
            var (token, tag) = (fields[0].Trim(), fields[^1].Trim());
            if (token.Length == 0) errors.Add(new DatasetError(location, "token", "the token is empty"));
            else if (tag.Length == 0) errors.Add(new DatasetError(location, "tag", "the tag is empty"));
            else
            {
                tokens.Add(token);
                tags.Add(tag);
                lineNumbers.Add(line.Number);
            }
        }

        public ParsedRecord<TokenClassificationExample> Finish()
        {
            if (errors.Count == 0) Iob2TagRules.Check(tags, i => ($"line {lineNumbers[i]}", "tag"), errors);
            var record = errors.Count > 0
                ? ParsedRecord<TokenClassificationExample>.Invalid(errors)
                : ParsedRecord<TokenClassificationExample>.Valid(new TokenClassificationExample(FirstLine, tokens.ToArray(), tags.ToArray()));
            tokens.Clear();
            tags.Clear();
            lineNumbers.Clear();
            errors = [];
            lineCount = 0;
            FirstLine = 0;
            return record;
        }
    }
}
