using System.Text.Json;
using System.Text.Json.Nodes;

namespace BertPlatform.GpuRunner.Cli;

/// <summary>JSON Lines input and output for the inference verbs: one object per non-blank line.</summary>
public static class JsonLines
{
    public static IEnumerable<(int Line, JsonObject Record)> Read(string path)
    {
        if (!File.Exists(path)) throw new CommandLineException($"input file {path} does not exist");
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonObject record;
            try
            {
                record = JsonNode.Parse(line) as JsonObject ?? throw new InvalidDataException($"{path} line {number}: expected a JSON object");
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path} line {number}: invalid JSON ({e.Message})", e);
            }
            yield return (number, record);
        }
    }

    public static void Write(TextWriter writer, JsonNode record) => writer.WriteLine(record.ToJsonString());
}
