using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Checkpoints;

/// <summary>
/// The safetensors format: an 8-byte little-endian header length N, N bytes of JSON
/// (<c>{"name": {"dtype", "shape", "data_offsets"}, "__metadata__": {...}}</c>), then the raw little-endian data.
/// Reads validate every offset against the file so a truncated or corrupt file fails with its name.
/// </summary>
public static class SafetensorsFile
{
    private const string MetadataKey = "__metadata__";

    public static Dictionary<string, Tensor> Read(string path)
    {
        using var stream = File.OpenRead(path);
        var fileLength = stream.Length;
        Span<byte> prefix = stackalloc byte[8];
        if (fileLength < 8 || stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8)
            throw Corrupt(path, "it is shorter than the 8-byte header length");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)(fileLength - 8) || headerLength > int.MaxValue)
            throw Corrupt(path, $"the header claims {headerLength} bytes but the file has {fileLength - 8} after the length");

        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        JsonObject header;
        try
        {
            header = JsonNode.Parse(headerBytes) as JsonObject ?? throw Corrupt(path, "the header is not a JSON object");
        }
        catch (JsonException e)
        {
            throw Corrupt(path, $"the header is not valid JSON ({e.Message})");
        }

        var dataStart = 8 + (long)headerLength;
        var dataLength = fileLength - dataStart;
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, node) in header)
            {
                if (name == MetadataKey) continue;
                var entry = node as JsonObject ?? throw Corrupt(path, $"tensor '{name}' has no entry object");
                var dtype = ParseDType(path, name, entry["dtype"]?.GetValue<string>());
                var shape = entry["shape"]?.AsArray().Select(d => d!.GetValue<long>()).ToArray() ?? throw Corrupt(path, $"tensor '{name}' has no shape");
                var offsets = entry["data_offsets"]?.AsArray().Select(d => d!.GetValue<long>()).ToArray();
                if (offsets is not { Length: 2 } || offsets[0] < 0 || offsets[1] < offsets[0])
                    throw Corrupt(path, $"tensor '{name}' has invalid data_offsets");
                var expectedBytes = shape.Aggregate(1L, (a, b) => a * b) * ElementSize(dtype);
                if (offsets[1] - offsets[0] != expectedBytes)
                    throw Corrupt(path, $"tensor '{name}' spans {offsets[1] - offsets[0]} bytes but shape [{string.Join(",", shape)}] needs {expectedBytes}");
                if (offsets[1] > dataLength)
                    throw Corrupt(path, $"tensor '{name}' ends at byte {offsets[1]} of the data but the file holds only {dataLength} (truncated?)");
                var bytes = new byte[expectedBytes];
                stream.Position = dataStart + offsets[0];
                stream.ReadExactly(bytes);
                var tensor = empty(shape, dtype);
                tensor.bytes = bytes;
                tensors.Add(name, tensor);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw Corrupt(path, $"the header is malformed ({e.Message})");
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
        return tensors;
    }

    /// <summary>Writes tensors in the given order with <paramref name="metadata"/> (transformers writes {"format":"pt"}).</summary>
    public static void Write(string path, IReadOnlyList<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new JsonObject();
        if (metadata is not null) header[MetadataKey] = new JsonObject(metadata.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
        long offset = 0;
        foreach (var (name, tensor) in tensors)
        {
            var length = tensor.NumberOfElements * tensor.ElementSize;
            header[name] = new JsonObject
            {
                ["dtype"] = DTypeName(tensor.dtype),
                ["shape"] = new JsonArray(tensor.shape.Select(d => (JsonNode?)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + length),
            };
            offset += length;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var padded = (json.Length + 7) / 8 * 8; // the format pads the header with spaces to 8-byte alignment
        using var stream = File.Create(path);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)padded);
        stream.Write(prefix);
        stream.Write(json);
        for (var i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
        foreach (var (_, tensor) in tensors)
        {
            using var host = tensor.detach().cpu().contiguous();
            stream.Write(host.bytes);
        }
    }

    private static InvalidDataException Corrupt(string path, string why) => new($"{path} is not a valid safetensors file: {why}.");

    private static ScalarType ParseDType(string path, string name, string? dtype) => dtype switch
    {
        "F64" => ScalarType.Float64,
        "F32" => ScalarType.Float32,
        "F16" => ScalarType.Float16,
        "BF16" => ScalarType.BFloat16,
        "I64" => ScalarType.Int64,
        "I32" => ScalarType.Int32,
        "I16" => ScalarType.Int16,
        "I8" => ScalarType.Int8,
        "U8" => ScalarType.Byte,
        "BOOL" => ScalarType.Bool,
        _ => throw Corrupt(path, $"tensor '{name}' has unsupported dtype '{dtype}'"),
    };

    private static string DTypeName(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 => "F64",
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new NotSupportedException($"safetensors has no dtype for {dtype}."),
    };

    private static long ElementSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        _ => 1,
    };
}
