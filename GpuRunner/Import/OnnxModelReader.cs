using System.Runtime.InteropServices;
using Google.Protobuf;

namespace BertPlatform.GpuRunner.Import;

/// <summary>
/// Reads the fields of an ONNX <c>ModelProto</c> that a BERT import needs, straight from the protobuf wire format
/// with Google.Protobuf's <see cref="CodedInputStream"/>. Field numbers are those of onnx/onnx.proto (IR version
/// 3 and later); every field not listed is skipped, so newer files read as long as these keep their numbers.
/// </summary>
public static class OnnxModelReader
{
    // ModelProto
    private const int ModelGraph = 7;
    // GraphProto
    private const int GraphNode = 1, GraphInitializer = 5, GraphInput = 11, GraphOutput = 12;
    // NodeProto
    private const int NodeInput = 1, NodeOutput = 2, NodeName = 3, NodeOpType = 4, NodeAttribute = 5, NodeDomain = 7;
    // AttributeProto
    private const int AttrName = 1, AttrF = 2, AttrI = 3, AttrS = 4, AttrT = 5, AttrFloats = 7, AttrInts = 8;
    // TensorProto
    private const int TensorDims = 1, TensorDataType = 2, TensorFloatData = 4, TensorInt32Data = 5, TensorInt64Data = 7,
        TensorName = 8, TensorRawData = 9, TensorDoubleData = 10, TensorDataLocation = 14;
    // ValueInfoProto
    private const int ValueInfoName = 1;
    // TensorProto.DataLocation.EXTERNAL: the weights live in a side file, which this reader does not follow.
    private const int ExternalDataLocation = 1;

    public static OnnxGraph Read(string path)
    {
        if (!File.Exists(path)) throw new OnnxImportException($"ONNX file '{path}' does not exist.");
        try
        {
            return Read(File.ReadAllBytes(path));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OnnxImportException($"'{path}' is not a readable ONNX model: {e.Message}");
        }
    }

    public static OnnxGraph Read(byte[] model)
    {
        var input = new CodedInputStream(model);
        OnnxGraph? graph = null;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == ModelGraph) graph = ReadGraph(Nested(input));
            else input.SkipLastField();
        }
        return graph ?? throw new OnnxImportException("The ONNX model has no graph (ModelProto field 7).");
    }

    private static OnnxGraph ReadGraph(CodedInputStream input)
    {
        var nodes = new List<OnnxNode>();
        var initializers = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
        var inputs = new List<string>();
        var outputs = new List<string>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case GraphNode: nodes.Add(ReadNode(Nested(input))); break;
                case GraphInitializer:
                    var tensor = ReadTensor(Nested(input));
                    if (!initializers.TryAdd(tensor.Name, tensor))
                        throw new OnnxImportException($"The graph has two initializers named '{tensor.Name}'.");
                    break;
                case GraphInput: inputs.Add(ReadValueInfoName(Nested(input))); break;
                case GraphOutput: outputs.Add(ReadValueInfoName(Nested(input))); break;
                default: input.SkipLastField(); break;
            }
        }
        // Old exporters list initializers among the graph inputs too; they are weights, not inputs.
        inputs.RemoveAll(initializers.ContainsKey);
        return new OnnxGraph(nodes, initializers, inputs, outputs);
    }

    private static OnnxNode ReadNode(CodedInputStream input)
    {
        var inputs = new List<string>();
        var outputs = new List<string>();
        var attributes = new Dictionary<string, OnnxAttribute>(StringComparer.Ordinal);
        string name = "", opType = "", domain = "";
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case NodeInput: inputs.Add(input.ReadString()); break;
                case NodeOutput: outputs.Add(input.ReadString()); break;
                case NodeName: name = input.ReadString(); break;
                case NodeOpType: opType = input.ReadString(); break;
                case NodeDomain: domain = input.ReadString(); break;
                case NodeAttribute:
                    var attribute = ReadAttribute(Nested(input));
                    attributes[attribute.Name] = attribute;
                    break;
                default: input.SkipLastField(); break;
            }
        }
        return new OnnxNode(name, opType, domain, inputs, outputs, attributes);
    }

    private static OnnxAttribute ReadAttribute(CodedInputStream input)
    {
        string name = "", text = "";
        float f = 0;
        long i = 0;
        OnnxTensor? tensor = null;
        var floats = new List<float>();
        var ints = new List<long>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case AttrName: name = input.ReadString(); break;
                case AttrF: f = input.ReadFloat(); break;
                case AttrI: i = input.ReadInt64(); break;
                case AttrS: text = input.ReadBytes().ToStringUtf8(); break;
                case AttrT: tensor = ReadTensor(Nested(input)); break;
                case AttrFloats: ReadRepeated(input, tag, floats, s => s.ReadFloat()); break;
                case AttrInts: ReadRepeated(input, tag, ints, s => s.ReadInt64()); break;
                default: input.SkipLastField(); break;
            }
        }
        return new OnnxAttribute(name, f, i, text, tensor, floats, ints);
    }

    private static OnnxTensor ReadTensor(CodedInputStream input)
    {
        var dims = new List<long>();
        var floats = new List<float>();
        var int32s = new List<int>();
        var int64s = new List<long>();
        var doubles = new List<double>();
        byte[]? raw = null;
        string name = "";
        int dataType = 0;
        var external = false;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case TensorDims: ReadRepeated(input, tag, dims, s => s.ReadInt64()); break;
                case TensorDataType: dataType = input.ReadInt32(); break;
                case TensorFloatData: ReadRepeated(input, tag, floats, s => s.ReadFloat()); break;
                case TensorInt32Data: ReadRepeated(input, tag, int32s, s => s.ReadInt32()); break;
                case TensorInt64Data: ReadRepeated(input, tag, int64s, s => s.ReadInt64()); break;
                case TensorDoubleData: ReadRepeated(input, tag, doubles, s => s.ReadDouble()); break;
                case TensorName: name = input.ReadString(); break;
                case TensorRawData: raw = input.ReadBytes().ToByteArray(); break;
                case TensorDataLocation: external = input.ReadEnum() == ExternalDataLocation; break;
                default: input.SkipLastField(); break;
            }
        }
        if (external)
            throw new OnnxImportException(
                $"Tensor '{name}' keeps its data in an external file; re-export the model with the weights inside the .onnx file.");
        var data = raw ?? (OnnxDataType)dataType switch
        {
            OnnxDataType.Float => MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(floats)).ToArray(),
            OnnxDataType.Int64 => MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(int64s)).ToArray(),
            OnnxDataType.Int32 => MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(int32s)).ToArray(),
            OnnxDataType.Double => MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(doubles)).ToArray(),
            _ => [],
        };
        // raw_data is little-endian by the ONNX spec; the typed fields were decoded to host order above.
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("The ONNX importer needs a little-endian machine.");
        return new OnnxTensor(name, dims, dataType, data);
    }

    private static string ReadValueInfoName(CodedInputStream input)
    {
        var name = "";
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == ValueInfoName) name = input.ReadString();
            else input.SkipLastField();
        }
        return name;
    }

    /// <summary>A repeated scalar field may come packed (one length-delimited run) or one element per tag.</summary>
    private static void ReadRepeated<T>(CodedInputStream input, uint tag, List<T> into, Func<CodedInputStream, T> readOne)
    {
        if (WireFormat.GetTagWireType(tag) != WireFormat.WireType.LengthDelimited)
        {
            into.Add(readOne(input));
            return;
        }
        var packed = Nested(input);
        while (!packed.IsAtEnd) into.Add(readOne(packed));
    }

    /// <summary>The bytes of an embedded message (or packed run) as a stream of its own.</summary>
    private static CodedInputStream Nested(CodedInputStream input)
    {
        var bytes = input.ReadBytes();
        return MemoryMarshal.TryGetArray(bytes.Memory, out var segment)
            ? new CodedInputStream(segment.Array!, segment.Offset, segment.Count)
            : new CodedInputStream(bytes.ToByteArray());
    }
}
