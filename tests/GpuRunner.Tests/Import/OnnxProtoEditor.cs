using System.Text;
using Google.Protobuf;

namespace BertPlatform.GpuRunner.Tests.Import;

/// <summary>
/// Edits a serialized ONNX ModelProto at the wire level, so tests can break a real exported graph in one precise
/// way (drop an initializer, rename an op, add a tensor, swap nodes) without a generated onnx.proto.
/// Field numbers: ModelProto.graph 7; GraphProto.node 1, initializer 5; NodeProto input 1, output 2, op_type 4,
/// attribute 5, domain 7; TensorProto dims 1, data_type 2, name 8, raw_data 9; AttributeProto name 1, f 2, type 20.
/// </summary>
internal static class OnnxProtoEditor
{
    public static byte[] DropInitializer(byte[] model, string name) =>
        EditGraph(model, (field, payload) => field == 5 && TensorName(payload) == name ? null : payload);

    /// <summary>Renames the op type of the node producing <paramref name="output"/>.</summary>
    public static byte[] SetOpType(byte[] model, string output, string opType) =>
        EditGraph(model, (field, payload) => field == 1 && NodeOutputs(payload).Contains(output)
            ? Rewrite(payload, (f, p) => f == 4 ? Encoding.UTF8.GetBytes(opType) : p)
            : payload);

    public static byte[] AddFloatInitializer(byte[] model, string name, long[] dims, float[] values)
    {
        var tensor = Message(w =>
        {
            foreach (var d in dims) { w.WriteTag(1, WireFormat.WireType.Varint); w.WriteInt64(d); }
            w.WriteTag(2, WireFormat.WireType.Varint); w.WriteInt32(1);
            w.WriteTag(8, WireFormat.WireType.LengthDelimited); w.WriteString(name);
            w.WriteTag(9, WireFormat.WireType.LengthDelimited); w.WriteBytes(ByteString.CopyFrom(values.SelectMany(BitConverter.GetBytes).ToArray()));
        });
        return EditGraph(model, (_, payload) => payload, append: [(5, tensor)]);
    }

    /// <summary>Removes the nodes producing any of <paramref name="outputs"/> and appends <paramref name="nodes"/>.</summary>
    public static byte[] ReplaceNodes(byte[] model, ISet<string> outputs, IEnumerable<byte[]> nodes) =>
        EditGraph(model, (field, payload) => field == 1 && NodeOutputs(payload).Any(outputs.Contains) ? null : payload,
            append: nodes.Select(n => (1, n)).ToList());

    public static byte[] Node(string opType, string domain, string[] inputs, string[] outputs, IReadOnlyDictionary<string, float>? floatAttributes = null) =>
        Message(w =>
        {
            foreach (var i in inputs) { w.WriteTag(1, WireFormat.WireType.LengthDelimited); w.WriteString(i); }
            foreach (var o in outputs) { w.WriteTag(2, WireFormat.WireType.LengthDelimited); w.WriteString(o); }
            w.WriteTag(4, WireFormat.WireType.LengthDelimited); w.WriteString(opType);
            foreach (var (name, value) in floatAttributes ?? new Dictionary<string, float>())
            {
                var attribute = Message(a =>
                {
                    a.WriteTag(1, WireFormat.WireType.LengthDelimited); a.WriteString(name);
                    a.WriteTag(2, WireFormat.WireType.Fixed32); a.WriteFloat(value);
                    a.WriteTag(20, WireFormat.WireType.Varint); a.WriteInt32(1); // AttributeType.FLOAT
                });
                w.WriteTag(5, WireFormat.WireType.LengthDelimited); w.WriteBytes(ByteString.CopyFrom(attribute));
            }
            if (domain.Length > 0) { w.WriteTag(7, WireFormat.WireType.LengthDelimited); w.WriteString(domain); }
        });

    private static byte[] EditGraph(byte[] model, Func<int, byte[], byte[]?> edit, IReadOnlyList<(int Field, byte[] Payload)>? append = null) =>
        Rewrite(model, (field, payload) => field == 7 ? Rewrite(payload, edit, append) : payload);

    /// <summary>Copies a message field by field; length-delimited fields go through <paramref name="edit"/>
    /// (null drops the field), then <paramref name="append"/> adds fields at the end.</summary>
    private static byte[] Rewrite(byte[] message, Func<int, byte[], byte[]?> edit, IReadOnlyList<(int Field, byte[] Payload)>? append = null) =>
        Message(output =>
        {
            var input = new CodedInputStream(message);
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                var field = WireFormat.GetTagFieldNumber(tag);
                switch (WireFormat.GetTagWireType(tag))
                {
                    case WireFormat.WireType.Varint: output.WriteTag(tag); output.WriteUInt64(input.ReadUInt64()); break;
                    case WireFormat.WireType.Fixed32: output.WriteTag(tag); output.WriteFixed32(input.ReadFixed32()); break;
                    case WireFormat.WireType.Fixed64: output.WriteTag(tag); output.WriteFixed64(input.ReadFixed64()); break;
                    case WireFormat.WireType.LengthDelimited:
                        if (edit(field, input.ReadBytes().ToByteArray()) is { } kept) { output.WriteTag(tag); output.WriteBytes(ByteString.CopyFrom(kept)); }
                        break;
                    default: throw new InvalidDataException($"Unexpected wire type in tag {tag}.");
                }
            }
            foreach (var (field, payload) in append ?? [])
            {
                output.WriteTag(field, WireFormat.WireType.LengthDelimited);
                output.WriteBytes(ByteString.CopyFrom(payload));
            }
        });

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true)) write(output);
        return buffer.ToArray();
    }

    private static string? TensorName(byte[] tensor) => Strings(tensor, 8).FirstOrDefault();

    private static List<string> NodeOutputs(byte[] node) => Strings(node, 2);

    private static List<string> Strings(byte[] message, int fieldNumber)
    {
        var values = new List<string>();
        var input = new CodedInputStream(message);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == fieldNumber && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited) values.Add(input.ReadString());
            else input.SkipLastField();
        }
        return values;
    }
}
