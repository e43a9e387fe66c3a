using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;

namespace BertPlatform.GpuRunner.Import;

/// <summary>
/// Writes float32 tensors in the safetensors format: an 8-byte little-endian header length, a JSON header
/// (<c>{"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, "__metadata__": {...}}</c>)
/// padded with spaces to a multiple of 8, then the tensors' little-endian row-major bytes back to back.
/// </summary>
public static class SafetensorsWriter
{
    public static void Write(string path, IReadOnlyList<(string Name, long[] Shape, float[] Values)> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        var header = new JsonObject { ["__metadata__"] = new JsonObject(metadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))) };
        long offset = 0;
        foreach (var (name, shape, values) in tensors)
        {
            if (shape.Aggregate(1L, (n, d) => n * d) != values.Length)
                throw new ArgumentException($"Tensor '{name}' has {values.Length} values for shape [{string.Join(",", shape)}].");
            var end = offset + (long)values.Length * sizeof(float);
            header[name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(shape.Select(d => (JsonNode?)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, end),
            };
            offset = end;
        }
        var json = header.ToJsonString();
        // Pad by bytes, not characters: names may hold non-ASCII.
        var padding = (8 - Encoding.UTF8.GetByteCount(json) % 8) % 8;
        var headerBytes = Encoding.UTF8.GetBytes(json + new string(' ', padding));

        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(length, headerBytes.Length);
        file.Write(length);
        file.Write(headerBytes);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors data is little-endian; this writer assumes a little-endian machine.");
        foreach (var (_, _, values) in tensors) file.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }
}
