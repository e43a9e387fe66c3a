using System.Text.Json.Nodes;
using BertPlatform.GpuRunner.Inference;
using BertPlatform.Shared.Tokenization;

namespace BertPlatform.GpuRunner.Cli;

/// <summary>
/// Encodes each input record with the model directory's tokenizer: {"text"[, "text_pair"]} or {"tokens": [words]} ->
/// input_ids, token_type_ids, attention_mask, tokens, offsets ([start, end) character span in the original text of
/// its sequence, null for [CLS]/[SEP]) and sequence_ids (0 = text, 1 = text_pair).
/// </summary>
public static class TokenizeVerb
{
    public const string Usage = "--model <dir> --input <in.jsonl> --output <out.jsonl> [--max-length <n>]";

    public static int Run(string[] args)
    {
        var options = new VerbOptions(args, "model", "input", "output", "max-length");
        var tokenizer = BertTextTokenizer.Load(options.Required("model"));
        var encodeOptions = new EncodeOptions { MaxLength = options.Int("max-length", tokenizer.Settings.ModelMaxLength) };
        var input = options.Required("input");
        using var writer = new StreamWriter(options.Required("output"));
        foreach (var (line, record) in JsonLines.Read(input))
        {
            BertEncoding encoding;
            try
            {
                encoding = record.ContainsKey("tokens")
                    ? tokenizer.EncodeWords(InputFields.Strings(record, "tokens"), encodeOptions)
                    : tokenizer.Encode(InputFields.Text(record, "text"), InputFields.OptionalText(record, "text_pair"), encodeOptions);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"{input} line {line}: {e.Message}; expected {{\"text\"[, \"text_pair\"]}} or {{\"tokens\": [...]}}", e);
            }
            JsonLines.Write(writer, new JsonObject
            {
                ["input_ids"] = new JsonArray(encoding.InputIds.Select(i => (JsonNode?)i).ToArray()),
                ["token_type_ids"] = new JsonArray(encoding.TokenTypeIds.Select(i => (JsonNode?)i).ToArray()),
                ["attention_mask"] = new JsonArray(encoding.AttentionMask.Select(i => (JsonNode?)i).ToArray()),
                ["tokens"] = new JsonArray(encoding.Tokens.Select(t => (JsonNode?)t).ToArray()),
                ["offsets"] = new JsonArray(encoding.Offsets.Select(o => o is TextSpan s ? new JsonArray(s.Start, s.End) : null).ToArray<JsonNode?>()),
                ["sequence_ids"] = new JsonArray(encoding.SequenceIds.Select(s => (JsonNode?)s).ToArray()),
            });
        }
        return 0;
    }
}
