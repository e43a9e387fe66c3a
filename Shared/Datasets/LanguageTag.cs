namespace BertPlatform.Shared.Datasets;

/// <summary>A row's language tag as a dataset gives it: trimmed and lower-cased so "DE " and "de" group together; blank is none.</summary>
public static class LanguageTag
{
    public static string? Normalize(string? tag) =>
        string.IsNullOrWhiteSpace(tag) ? null : tag.Trim().ToLowerInvariant();
}
