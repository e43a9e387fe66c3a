using System.Security.Cryptography;
using System.Text;

namespace BertPlatform.Shared.Datasets;

/// <summary>
/// Question ids seen so far in one file: an id used twice makes predictions and the official SQuAD scores ambiguous
/// (the evaluation keys answers by id). A file may hold millions of questions, so only a 64-bit digest of each id is
/// kept (8 bytes instead of the string); two different ids share one with a chance of about n²/2⁶⁵.
/// </summary>
internal sealed class QuestionIds
{
    private readonly HashSet<ulong> seen = [];

    /// <summary>True the first time an id is met.</summary>
    public bool Add(string id)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(id), digest);
        return seen.Add(BitConverter.ToUInt64(digest));
    }

    public static DatasetError Duplicate(string location, string id) =>
        new(location, QuestionAnsweringRecords.Id, $"the question id '{JsonFields.Shorten(id)}' is used twice; every question needs its own id");

    /// <summary>SQuAD ids are strings, some files use numbers; null when there is none.</summary>
    public static string? Of(System.Text.Json.JsonElement qa) =>
        qa.ValueKind == System.Text.Json.JsonValueKind.Object && qa.TryGetProperty(QuestionAnsweringRecords.Id, out var id)
            ? id.ValueKind switch
            {
                System.Text.Json.JsonValueKind.String => id.GetString(),
                System.Text.Json.JsonValueKind.Number => id.GetRawText(),
                _ => null,
            }
            : null;
}
