using System.Text.RegularExpressions;
using BertPlatform.TestSupport;

namespace BertPlatform.Infra.Tests.Templates;

/// <summary>GpuRunner/Dockerfile read as stages of instructions (Docker is not available here, so its invariants are read).</summary>
public sealed class Dockerfile
{
    public sealed record Instruction(string Keyword, string Arguments);

    /// <summary>One stage: its FROM line's image and alias, and its instructions (FROM first).</summary>
    public sealed record Stage(string Image, string? Alias, IReadOnlyList<Instruction> Instructions);

    public static Dockerfile Runner { get; } = Read(Path.Combine(TestAssets.RepositoryRoot, "GpuRunner", "Dockerfile"));

    public string Text { get; }

    public IReadOnlyList<Stage> Stages { get; }

    public Stage Final => Stages[^1];

    private Dockerfile(string text, IReadOnlyList<Stage> stages)
    {
        Text = text;
        Stages = stages;
    }

    public static Dockerfile Read(string path)
    {
        var text = File.ReadAllText(path);
        // Join continuation lines, drop comments, split into stages at each FROM.
        var logical = Regex.Replace(text, @"\\\r?\n", " ").Split('\n')
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => { var parts = l.Split(' ', 2); return new Instruction(parts[0].ToUpperInvariant(), parts.Length > 1 ? Regex.Replace(parts[1].Trim(), @"\s+", " ") : ""); });
        var stages = new List<List<Instruction>>();
        foreach (var instruction in logical)
        {
            if (instruction.Keyword == "FROM") stages.Add([]);
            else if (stages.Count == 0) continue;   // ARG before the first FROM
            stages[^1].Add(instruction);
        }
        return new Dockerfile(text, stages.Select(ToStage).ToList());
    }

    private static Stage ToStage(List<Instruction> instructions)
    {
        var from = instructions[0].Arguments.Split(' ');
        var alias = from.Length >= 3 && from[^2].Equals("AS", StringComparison.OrdinalIgnoreCase) ? from[^1] : null;
        return new Stage(from.First(p => !p.StartsWith("--", StringComparison.Ordinal)), alias, instructions);
    }

    public Stage StageNamed(string alias) =>
        Stages.SingleOrDefault(s => s.Alias == alias) ?? throw new InvalidOperationException($"The Dockerfile has no stage '{alias}'.");

    /// <summary>The stage the final image copies <paramref name="path"/> from (<c>COPY --from=stage path ...</c>).</summary>
    public Stage SourceOf(string path)
    {
        var copy = Final.Instructions.Single(i => i.Keyword == "COPY" && i.Arguments.StartsWith("--from=", StringComparison.Ordinal)
                                                  && i.Arguments.Split(' ')[1] == path);
        return StageNamed(copy.Arguments.Split(' ')[0]["--from=".Length..]);
    }
}
