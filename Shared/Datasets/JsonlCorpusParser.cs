using System.Text.Json;
using BertPlatform.Shared.Contracts;

namespace BertPlatform.Shared.Datasets;

/// <summary>
/// A pre-training corpus as JSONL, one document per record in the mapped text field; the document's sentences are its
/// non-blank lines, trimmed.
/// </summary>
internal sealed class JsonlCorpusParser(ColumnMapping columns) : JsonlParser<CorpusDocument>
{
    public override string NoExamplesMessage => CorpusLimits.NoSentence;

    protected override ParsedRecord<CorpusDocument> ParseRecord(JsonElement record, long lineNumber, string location)
    {
        var errors = new List<DatasetError>();
        var text = JsonFields.RequiredText(record, columns.Text, location, errors);
        if (text is null) return ParsedRecord<CorpusDocument>.Invalid(errors);
        var sentences = new List<string>();
        var index = 0;
        foreach (var range in text.AsSpan().Split('\n'))
        {
            index++;
            var sentence = text.AsSpan(range).Trim();
            if (sentence.Length > CorpusLimits.MaxLineLength)
                errors.Add(new DatasetError(location, columns.Text, $"sentence {index}: {CorpusLimits.LineTooLong(sentence.Length)}"));
            else if (!sentence.IsEmpty) sentences.Add(sentence.ToString());
        }
        if (errors.Count == 0 && sentences.Count == 0) errors.Add(new DatasetError(location, columns.Text, "the document has no sentence"));
        return errors.Count > 0
            ? ParsedRecord<CorpusDocument>.Invalid(errors)
            : ParsedRecord<CorpusDocument>.Valid(new CorpusDocument(sentences));
    }
}
