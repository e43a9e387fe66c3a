namespace BertPlatform.TestSupport;

/// <summary>
/// Locates the data the tests read. All of it is committed under <c>tests/fixtures</c> (see its README), so a clone
/// of this repository alone runs the whole suite.
/// </summary>
public static class TestAssets
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Fixtures => Path.Combine(RepositoryRoot, "tests", "fixtures");

    public static string TinyBert => Path.Combine(Fixtures, "tiny-bert");

    public static string MultilingualVocab => Path.Combine(Fixtures, "vocab", "bert-base-multilingual-cased");

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Platform.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Platform.sln was not found above " + AppContext.BaseDirectory);
    }
}
