using System.Runtime.InteropServices;
using Google.Protobuf;

namespace BertPlatform.GpuRunner.Export;

/// <summary>
/// Writes an ONNX <c>ModelProto</c> with Google.Protobuf's <see cref="CodedOutputStream"/>, the counterpart of
/// <see cref="Import.OnnxModelReader"/>: the same field numbers of onnx/onnx.proto, no generated classes.
/// Nested messages are encoded into their own buffers first because protobuf prefixes them with their length.
/// </summary>
public static class OnnxModelWriter
{
    /// <summary>IR version 8 is the one ONNX 1.12+ writes for opset 17.</summary>
    public const long IrVersion = 8;

    // ModelProto
    private const int ModelIrVersion = 1, ModelProducerName = 2, ModelProducerVersion = 3, ModelGraph = 7, ModelOpsetImport = 8;
    // OperatorSetIdProto
    private const int OpsetDomain = 1, OpsetVersion = 2;
    // GraphProto
    private const int GraphNode = 1, GraphName = 2, GraphInitializer = 5, GraphInput = 11, GraphOutput = 12;
    // NodeProto
    private const int NodeInput = 1, NodeOutput = 2, NodeName = 3, NodeOpType = 4, NodeAttribute = 5;
    // AttributeProto and its AttributeType values
    private const int AttrName = 1, AttrF = 2, AttrI = 3, AttrInts = 8, AttrType = 20;
    private const int TypeFloat = 1, TypeInt = 2, TypeInts = 7;
    // TensorProto
    private const int TensorDims = 1, TensorDataType = 2, TensorName = 8, TensorRawData = 9;
    // ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto, TensorShapeProto.Dimension
    private const int ValueInfoName = 1, ValueInfoType = 2, TypeTensor = 1, TensorElemType = 1, TensorShape = 2,
        ShapeDim = 1, DimValue = 1, DimParam = 2;

    public static void Write(Stream stream, string graphName, int opset, IReadOnlyList<OnnxNodeSpec> nodes,
        IReadOnlyList<OnnxInitializerSpec> initializers, IReadOnlyList<OnnxValueSpec> inputs, IReadOnlyList<OnnxValueSpec> outputs)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("The ONNX exporter needs a little-endian machine.");
        var graph = Encode(o =>
        {
            foreach (var node in nodes) Nested(o, GraphNode, Node(node));
            String(o, GraphName, graphName);
            foreach (var initializer in initializers) Nested(o, GraphInitializer, Tensor(initializer));
            foreach (var input in inputs) Nested(o, GraphInput, ValueInfo(input));
            foreach (var output in outputs) Nested(o, GraphOutput, ValueInfo(output));
        });
        var output = new CodedOutputStream(stream, leaveOpen: true);
        output.WriteTag(ModelIrVersion, WireFormat.WireType.Varint);
        output.WriteInt64(IrVersion);
        String(output, ModelProducerName, "BertPlatform.GpuRunner");
        String(output, ModelProducerVersion, "1");
        Nested(output, ModelGraph, graph);
        Nested(output, ModelOpsetImport, Encode(o =>
        {
            String(o, OpsetDomain, "");
            o.WriteTag(OpsetVersion, WireFormat.WireType.Varint);
            o.WriteInt64(opset);
        }));
        output.Flush();
    }

    private static byte[] Node(OnnxNodeSpec node) => Encode(o =>
    {
        foreach (var input in node.Inputs) String(o, NodeInput, input);
        foreach (var output in node.Outputs) String(o, NodeOutput, output);
        String(o, NodeName, node.Name);
        String(o, NodeOpType, node.OpType);
        foreach (var attribute in node.Attributes) Nested(o, NodeAttribute, Attribute(attribute));
    });

    private static byte[] Attribute(OnnxAttributeValue attribute) => Encode(o =>
    {
        String(o, AttrName, attribute.Name);
        int type;
        if (attribute.Float is { } f)
        {
            o.WriteTag(AttrF, WireFormat.WireType.Fixed32);
            o.WriteFloat(f);
            type = TypeFloat;
        }
        else if (attribute.Int is { } i)
        {
            o.WriteTag(AttrI, WireFormat.WireType.Varint);
            o.WriteInt64(i);
            type = TypeInt;
        }
        else
        {
            foreach (var value in attribute.Ints ?? throw new ArgumentException($"Attribute '{attribute.Name}' has no value."))
            {
                o.WriteTag(AttrInts, WireFormat.WireType.Varint);
                o.WriteInt64(value);
            }
            type = TypeInts;
        }
        o.WriteTag(AttrType, WireFormat.WireType.Varint);
        o.WriteEnum(type);
    });

    private static byte[] Tensor(OnnxInitializerSpec tensor) => Encode(o =>
    {
        foreach (var dim in tensor.Dims)
        {
            o.WriteTag(TensorDims, WireFormat.WireType.Varint);
            o.WriteInt64(dim);
        }
        o.WriteTag(TensorDataType, WireFormat.WireType.Varint);
        o.WriteInt32(tensor.DataType);
        String(o, TensorName, tensor.Name);
        o.WriteTag(TensorRawData, WireFormat.WireType.LengthDelimited);
        o.WriteBytes(UnsafeByteOperations.UnsafeWrap(tensor.Data));
    });

    private static byte[] ValueInfo(OnnxValueSpec value) => Encode(o =>
    {
        String(o, ValueInfoName, value.Name);
        var shape = Encode(s =>
        {
            foreach (var dim in value.Shape)
                Nested(s, ShapeDim, Encode(d =>
                {
                    if (dim is string name) String(d, DimParam, name);
                    else
                    {
                        d.WriteTag(DimValue, WireFormat.WireType.Varint);
                        d.WriteInt64(Convert.ToInt64(dim, System.Globalization.CultureInfo.InvariantCulture));
                    }
                }));
        });
        var tensorType = Encode(t =>
        {
            t.WriteTag(TensorElemType, WireFormat.WireType.Varint);
            t.WriteInt32(value.ElementType);
            Nested(t, TensorShape, shape);
        });
        Nested(o, ValueInfoType, Encode(t => Nested(t, TypeTensor, tensorType)));
    });

    private static void String(CodedOutputStream output, int field, string value)
    {
        if (value.Length == 0) return;
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
    }

    private static void Nested(CodedOutputStream output, int field, byte[] message)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(UnsafeByteOperations.UnsafeWrap(message));
    }

    private static byte[] Encode(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer, leaveOpen: true);
        write(output);
        output.Flush();
        return buffer.ToArray();
    }

    /// <summary>The little-endian bytes of a float array, as <c>raw_data</c> holds them.</summary>
    public static byte[] Bytes(float[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    public static byte[] Bytes(long[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
}
