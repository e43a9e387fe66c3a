namespace BertPlatform.TestSupport;

/// <summary>
/// Locates the team's read-only shared folder (fixtures, the real mBERT vocabulary) that sits beside the
/// repository checkout as <c>../shared</c>, both on developer machines and in CI. <c>BERT_PLATFORM_SHARED</c>
/// overrides it.
/// </summary>
public static class SharedAssets
{
    private static readonly Lazy<string> root = new(FindRoot);

    public static string Root => root.Value;

    public static string TinyBert => Path.Combine(Root, "fixtures", "tiny-bert");

    public static string MultilingualVocab => Path.Combine(Root, "vocab", "bert-base-multilingual-cased");

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string FindRoot()
    {
        var configured = Environment.GetEnvironmentVariable("BERT_PLATFORM_SHARED");
        if (!string.IsNullOrEmpty(configured)) return configured;
        var candidate = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));
        if (Directory.Exists(Path.Combine(candidate, "fixtures"))) return candidate;
        throw new DirectoryNotFoundException(
            $"The shared folder was not found at {candidate}; set BERT_PLATFORM_SHARED to its path.");
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Platform.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Platform.sln was not found above " + AppContext.BaseDirectory);
    }
}
