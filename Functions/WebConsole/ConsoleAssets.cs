namespace BertPlatform.Functions.WebConsole;

/// <summary>
/// The console's files, embedded under the logical names <c>console/{path}</c> (see Functions.csproj). Only those
/// names can be served, so a path cannot reach anything else in the assembly or on disk.
/// </summary>
public static class ConsoleAssets
{
    private const string Prefix = "console/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".json"] = "application/json",
    };

    private static readonly HashSet<string> Names =
        typeof(ConsoleAssets).Assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);

    /// <summary>Every console path that can be served (<c>index.html</c>, <c>vendor/uPlot.iife.min.js</c> ...).</summary>
    public static IEnumerable<string> Paths => Names.Select(n => n[Prefix.Length..]);

    public static ConsoleAsset? Find(string path) =>
        Names.Contains(Prefix + path) && ContentTypes.TryGetValue(Path.GetExtension(path), out var type)
            ? new ConsoleAsset(Prefix + path, type)
            : null;
}

/// <summary>One embedded console file.</summary>
public sealed record ConsoleAsset(string ResourceName, string ContentType)
{
    public Stream Open() => typeof(ConsoleAssets).Assembly.GetManifestResourceStream(ResourceName)!;
}
