using System.Runtime.CompilerServices;

namespace BertPlatform.Shared.Datasets;

/// <summary>
/// A pre-training corpus in the format of Google's <c>create_pretraining_data.py</c>: one sentence per line, a blank
/// line between documents. Sentences are trimmed. A blank line right after another (or at the start) would make an
/// empty document and is an error; blank lines at the very end are not.
/// </summary>
internal sealed class TextCorpusParser : DatasetParser<CorpusDocument>
{
    public override string NoExamplesMessage => CorpusLimits.NoSentence;

    public override async IAsyncEnumerable<ParsedRecord<CorpusDocument>> ParseAsync(
        Stream utf8Content, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        AddColumn("text");
        var lines = BoundedLineReader.Open(utf8Content, CorpusLimits.MaxLineLength);
        var sentences = new List<string>();
        var errors = new List<DatasetError>();
        long documentLength = 0, firstLine = 0;
        long? emptyDocumentLine = null;
        var tooLong = false;
        var previousBlank = true;  // the start of the file counts as a document boundary
        while (await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.IsBlank)
            {
                if (previousBlank) emptyDocumentLine ??= line.Number;
                else yield return Finish();
                previousBlank = true;
                continue;
            }
            if (emptyDocumentLine is { } blank)
            {
                yield return ParsedRecord<CorpusDocument>.Invalid(new DatasetError($"line {blank}", null,
                    blank == 1 ? "the file starts with a blank line, an empty document" : "a second blank line makes an empty document; documents are separated by one blank line"));
                emptyDocumentLine = null;
            }
            previousBlank = false;
            if (firstLine == 0) firstLine = line.Number;
            if (line.Text is null)
            {
                errors.Add(new DatasetError($"line {line.Number}", null, CorpusLimits.LineTooLong(line.Length)));
                continue;
            }
            if (tooLong) continue;
            documentLength += line.Text.Length;
            if (documentLength > CorpusLimits.MaxDocumentLength)
            {
                errors.Add(new DatasetError($"line {line.Number}", null, CorpusLimits.DocumentTooLong($"line {firstLine}")));
                sentences.Clear();
                tooLong = true;
                continue;
            }
            sentences.Add(line.Text.Trim());
        }
        if (!previousBlank) yield return Finish();

        ParsedRecord<CorpusDocument> Finish()
        {
            var record = errors.Count > 0 ? ParsedRecord<CorpusDocument>.Invalid(errors) : ParsedRecord<CorpusDocument>.Valid(new CorpusDocument(sentences.ToArray()));
            sentences.Clear();
            errors = [];
            documentLength = 0;
            firstLine = 0;
            tooLong = false;
            return record;
        }
    }
}
