namespace BertPlatform.Functions;

/// <summary>Short random ids with a prefix saying what they name (<c>ds-…</c>, <c>job-…</c>).</summary>
public static class Ids
{
    public static string New(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 1 + 16)];
}
