namespace BertPlatform.Shared.Datasets;

/// <summary>
/// One problem found in a dataset. <paramref name="Location"/> says where in the user's own terms:
/// <c>row 17</c> (CSV/TSV data rows, header not counted), <c>line 230</c> (JSONL, CoNLL, text) or a JSON path such as
/// <c>data[0].paragraphs[2].qas[1]</c> (SQuAD); <paramref name="Column"/> names the column or field when there is one.
/// </summary>
public sealed record DatasetError(string Location, string? Column, string Message)
{
    public override string ToString() => Column is null ? $"{Location}: {Message}" : $"{Location}, '{Column}': {Message}";
}
