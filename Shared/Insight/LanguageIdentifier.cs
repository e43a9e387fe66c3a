using Lingua;

namespace BertPlatform.Shared.Insight;

/// <summary>
/// Detects the language of a text with Lingua, restricted to a fixed set: the 15 XNLI languages plus six more that
/// multilingual datasets often mix in. Few candidates keep detection fast and its answers stable from run to run;
/// text in another language comes out as its nearest candidate or <see cref="Unknown"/>. Lingua's low-accuracy mode
/// (trigram models only) loads in about a second instead of fifteen; it is weaker on texts under about 120
/// characters, so a dataset whose rows are short and mixed should say each row's language in a language column.
/// </summary>
public static class LanguageIdentifier
{
    /// <summary>ISO 639-1 codes of the candidate languages.</summary>
    public static IReadOnlyList<string> Candidates { get; } =
        ["en", "fr", "es", "de", "el", "bg", "ru", "tr", "ar", "vi", "th", "zh", "hi", "sw", "ur", "it", "pt", "nl", "ja", "ko", "pl"];

    /// <summary>What a text gets when Lingua cannot tell (digits, punctuation, an empty string).</summary>
    public const string Unknown = "unknown";

    // Lazy: the Functions app loads the models only when a report needs them.
    private static readonly Lazy<LanguageDetector> detector = new(() => LanguageDetectorBuilder
        .FromLanguages(Candidates.Select(code => LanguageInfo.GetByIsoCode6391(Enum.Parse<IsoCode6391>(code, ignoreCase: true))).ToArray())
        .WithLowAccuracyMode()
        .Build());

    // Lingua does not document its detector as safe for concurrent calls, and reports may run side by side.
    private static readonly Lock gate = new();

    public static string Identify(string text)
    {
        Language language;
        lock (gate) language = detector.Value.DetectLanguageOf(text);
        return language == Language.Unknown ? Unknown : LanguageInfo.IsoCode6391(language).ToString().ToLowerInvariant();
    }
}
