namespace BertPlatform.Shared.Insight;

/// <summary>
/// Bounds that keep a report an HTTP request's work: tokenizing is fast, language detection is not, and a dataset
/// may hold ten gigabytes.
/// </summary>
public static class PreflightLimits
{
    /// <summary>Examples of each dataset analysed (the first ones); beyond that the report says it sampled.</summary>
    public const int MaxExamples = 100_000;

    /// <summary>Examples whose language is detected when the dataset has no language column (the first ones).</summary>
    public const int MaxLanguageDetections = 2_000;
}
