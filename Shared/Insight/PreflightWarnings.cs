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
            if (profile.Windows is { } windows) warnings.AddRange(WindowWarnings(windows, profile, role, report.MaxSequenceLength));
            else if (profile.TruncatedShare >= TruncationShare)
                warnings.Add(Text($"{Percent(profile.TruncatedShare)} of {role} examples ({profile.Truncated} of {profile.Examples}) are truncated at {report.MaxSequenceLength} tokens, losing {profile.TokensLost} tokens")
                    + (role == "training" ? Text($"; maxSequenceLength {advice.KeepsNinetyFivePercent} keeps 95% whole, {advice.KeepsNinetyNinePercent} keeps 99%.") : "."));
            if (profile.UnknownRate >= UnknownRate)
                warnings.Add(Text($"{Percent(profile.UnknownRate)} of {role} tokens are [UNK] ({profile.UnknownTokens} of {profile.TextTokens}): the base model's vocabulary does not cover this text (script, casing or accents)."));
        }
        // QA windows long contexts instead of cutting them: only the question can be lost.
        if (unclampedLength99 > advice.ModelMaximum && report.Task != Contracts.TaskType.QuestionAnswering)
            warnings.Add(Text($"1% of training examples or more are longer than the model's {advice.ModelMaximum} positions (99th percentile {unclampedLength99} tokens, 95th {unclampedLength95}): they stay truncated at any maxSequenceLength."));
        if (training.ImbalanceRatio is >= ImbalanceRatio) warnings.Add(Imbalance(report.Task, training));
        if (report.Duplicates is { Near: > 0 } duplicates)
            warnings.Add(Text($"{Percent(duplicates.NearShare)} of training rows ({duplicates.Near} of {training.Examples}) repeat an earlier row ({How(duplicates.Exact, duplicates.Near)})")
                + (report.Estimate.Cost is { } cost ? Text($"; they take about {Money(cost * duplicates.NearShare, report.Estimate.Currency)} of the estimated {Money(cost, report.Estimate.Currency)}.") : "."));
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

    private static IEnumerable<string> WindowWarnings(WindowFigures windows, DatasetProfile profile, string role, int maxSequenceLength)
    {
        if (windows.MultiWindowShare >= TruncationShare)
            yield return Text($"{Percent(windows.MultiWindowShare)} of {role} questions ({windows.MultiWindow} of {profile.Examples}) need more than one window at {maxSequenceLength} tokens (docStride {windows.DocStride}): {windows.Windows} windows in all, up to {windows.MaxWindows} for one question; each window is {(role == "training" ? "a training sample" : "scored")}.");
        if (windows.AnswersOutsideWindows > 0)
            yield return Text($"{Percent(windows.AnswersOutsideShare)} of {role} answers ({windows.AnswersOutsideWindows} of {windows.Answerable}) lie in no window whole at maxSequenceLength {maxSequenceLength} and docStride {windows.DocStride}: ")
                + (role == "training" ? "those questions train as unanswerable" : "no window can predict them whole") + "; raise docStride or maxSequenceLength.";
        if (windows.QuestionsCut > 0)
            yield return Text($"{windows.QuestionsCut} {role} questions are longer than maxQuestionLength {windows.MaxQuestionLength} and are cut, losing {profile.TokensLost} tokens.");
        if (windows.Unwindowable > 0)
            yield return Text($"{windows.Unwindowable} {role} questions cannot be windowed at these settings and would fail the job: {windows.UnwindowableReason}");
    }

    /// <summary>What an imbalance costs depends on what the counts count.</summary>
    private static string Imbalance(Contracts.TaskType task, DatasetProfile training)
    {
        var counts = training.Entities ?? training.Labels;
        var (largest, smallest) = (counts.MaxBy(l => l.Value), counts.MinBy(l => l.Value));
        return task switch
        {
            Contracts.TaskType.TokenClassification when training.Entities is not null => Text(
                $"entity types are imbalanced: '{largest.Key}' has {largest.Value} training mentions, '{smallest.Key}' {smallest.Value} ({training.ImbalanceRatio:0.#}×); the overall F1 hides the rare types, read the per-type scores."),
            Contracts.TaskType.TokenClassification => Text(
                $"tags are imbalanced: '{largest.Key}' has {largest.Value} training words, '{smallest.Key}' {smallest.Value} ({training.ImbalanceRatio:0.#}×); the overall F1 hides the rare tags."),
            Contracts.TaskType.QuestionAnswering => Text(
                $"answerable and unanswerable questions are imbalanced: '{largest.Key}' {largest.Value} training questions, '{smallest.Key}' {smallest.Value} ({training.ImbalanceRatio:0.#}×); the model learns the majority's habit, read HasAns_f1 and NoAns_f1."),
            Contracts.TaskType.MultipleChoice => Text(
                $"the right ending is imbalanced: ending {largest.Key} in {largest.Value} training examples, ending {smallest.Key} in {smallest.Value} ({training.ImbalanceRatio:0.#}×); a model can score by position alone."),
            _ => Text(
                $"labels are imbalanced: '{largest.Key}' has {largest.Value} training examples, '{smallest.Key}' {smallest.Value} ({training.ImbalanceRatio:0.#}×); accuracy hides the small classes, consider metricForBestModel f1_macro."),
        };
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

    /// <summary>"USD 0.0206"; below a hundredth of a cent, two significant digits ("USD 0.000021") rather than "USD 0".</summary>
    private static string Money(double amount, string? currency)
    {
        var digits = amount is > 0 and < 0.0001 ? 1 - (int)Math.Floor(Math.Log10(amount)) : 4;
        return currency + " " + Math.Round(amount, digits).ToString("0.##########", CultureInfo.InvariantCulture);
    }
}
