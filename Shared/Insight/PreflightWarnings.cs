using System.Globalization;

namespace BertPlatform.Shared.Insight;

/// <summary>
/// The report's findings in sentences with their numbers. Thresholds are where a finding starts to cost accuracy
/// or trust in the validation score; each is a constant here so the tests and the README quote the same ones.
/// </summary>
public static class PreflightWarnings
{
    public const double TruncationShare = 0.01;
    public const double UnknownRate = 0.005;
    public const double ImbalanceRatio = 3;

    public static IReadOnlyList<string> For(PreflightReport report, int unclampedLength95, int unclampedLength99)
    {
        var warnings = new List<string>();
        var training = report.Training;
        var advice = report.LengthAdvice;
        foreach (var (profile, role, _) in Sides(report))
        {
            if (profile.Sampled) warnings.Add(Text($"only the first {profile.Examples} {role} examples were analysed; the figures describe those."));
            if (profile.TruncatedShare >= TruncationShare)
                warnings.Add(Text($"{Percent(profile.TruncatedShare)} of {role} examples ({profile.Truncated} of {profile.Examples}) are truncated at {report.MaxSequenceLength} tokens, losing {profile.TokensLost} tokens")
                    + (role == "training" ? Text($"; maxSequenceLength {advice.KeepsNinetyFivePercent} keeps 95% whole, {advice.KeepsNinetyNinePercent} keeps 99%.") : "."));
            if (profile.UnknownRate >= UnknownRate)
                warnings.Add(Text($"{Percent(profile.UnknownRate)} of {role} tokens are [UNK] ({profile.UnknownTokens} of {profile.TextTokens}): the base model's vocabulary does not cover this text (script, casing or accents)."));
        }
        if (unclampedLength99 > advice.ModelMaximum)
            warnings.Add(Text($"1% of training examples or more are longer than the model's {advice.ModelMaximum} positions (99th percentile {unclampedLength99} tokens, 95th {unclampedLength95}): they stay truncated at any maxSequenceLength."));
        if (training.ImbalanceRatio is >= ImbalanceRatio)
        {
            var (largest, smallest) = (training.Labels.MaxBy(l => l.Value), training.Labels.MinBy(l => l.Value));
            warnings.Add(Text($"labels are imbalanced: '{largest.Key}' has {largest.Value} training examples, '{smallest.Key}' {smallest.Value} ({training.ImbalanceRatio:0.#}×); accuracy hides the small classes, consider metricForBestModel f1_macro."));
        }
        if (report.Duplicates is { Near: > 0 } duplicates)
            warnings.Add(Text($"{Percent(duplicates.NearShare)} of training rows ({duplicates.Near} of {training.Examples}) repeat an earlier row ({How(duplicates.Exact, duplicates.Near)})."));
        foreach (var (side, role, leakage) in Sides(report).Skip(1))
        {
            if (leakage is { Near: > 0 })
                warnings.Add(Text($"{Percent(leakage.NearShare)} of {role} rows ({leakage.Near} of {side.Examples}) also appear in training ({How(leakage.Exact, leakage.Near)}): the validation score overstates the model."));
            var unseen = side.Labels.Keys.Where(l => !training.Labels.ContainsKey(l)).ToList();
            if (unseen.Count > 0)
                warnings.Add($"{role} labels never seen in training: {string.Join(", ", unseen)}; the model cannot predict them.");
            var newLanguages = side.Languages.Keys.Where(l => !training.Languages.ContainsKey(l) && l != LanguageIdentifier.Unknown).ToList();
            if (newLanguages.Count > 0)
                warnings.Add($"{role} languages absent from training: {string.Join(", ", newLanguages)}; their scores measure zero-shot transfer.");
        }
        return warnings;
    }

    /// <summary>Training first, then the validation dataset or each named validation set, with its leakage.</summary>
    private static IEnumerable<(DatasetProfile Profile, string Role, LeakageFigures? Leakage)> Sides(PreflightReport report)
    {
        yield return (report.Training, "training", null);
        if (report.Validation is { } validation) yield return (validation, "validation", report.Leakage);
        foreach (var set in report.ValidationSets ?? []) yield return (set.Profile, $"validation set '{set.Name}'", set.Leakage);
    }

    /// <summary>How many matched exactly and how many only after normalizing.</summary>
    private static string How(int exact, int near) =>
        exact == near ? (exact == 1 ? "exactly" : "all exactly")
        : exact == 0 ? "after normalizing case, whitespace and punctuation"
        : Text($"{exact} exactly, {near - exact} more after normalizing case, whitespace and punctuation");

    public static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
