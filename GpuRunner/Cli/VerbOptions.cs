using System.Globalization;

namespace BertPlatform.GpuRunner.Cli;

/// <summary>Parses <c>--name value</c> pairs of one verb and rejects options the verb does not know.</summary>
public sealed class VerbOptions
{
    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);

    public VerbOptions(string[] args, params string[] known)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal)) throw new CommandLineException($"unexpected argument '{arg}'");
            var name = arg[2..];
            if (!known.Contains(name)) throw new CommandLineException($"unknown option '{arg}'");
            if (i + 1 >= args.Length) throw new CommandLineException($"option '{arg}' needs a value");
            values[name] = args[++i];
        }
    }

    /// <summary>Removes a value-less switch such as <c>--inference</c> from <paramref name="args"/>; says whether it was there.</summary>
    public static bool TakeFlag(ref string[] args, string flag)
    {
        var present = args.Contains(flag, StringComparer.Ordinal);
        args = args.Where(a => a != flag).ToArray();
        return present;
    }

    public string Required(string name) =>
        values.TryGetValue(name, out var value) ? value : throw new CommandLineException($"missing required option --{name}");

    public string? Optional(string name) => values.GetValueOrDefault(name);

    public int Int(string name, int? fallback = null)
    {
        if (!values.TryGetValue(name, out var text))
            return fallback ?? throw new CommandLineException($"missing required option --{name}");
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < 1)
            throw new CommandLineException($"--{name} must be a positive integer, got '{text}'");
        return value;
    }
}
