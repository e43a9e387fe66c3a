namespace BertPlatform.GpuRunner.Export;

/// <summary>One attribute of a node; exactly one of the value fields is set.</summary>
public sealed record OnnxAttributeValue(string Name, long? Int = null, float? Float = null, IReadOnlyList<long>? Ints = null)
{
    public static OnnxAttributeValue Of(string name, long value) => new(name, Int: value);

    public static OnnxAttributeValue Of(string name, float value) => new(name, Float: value);

    public static OnnxAttributeValue Of(string name, long[] values) => new(name, Ints: values);
}

/// <summary>A <c>NodeProto</c> to write.</summary>
public sealed record OnnxNodeSpec(string Name, string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, IReadOnlyList<OnnxAttributeValue> Attributes);

/// <summary>An initializer to write: little-endian element bytes of <c>data_type</c> (1 float, 7 int64).</summary>
public sealed record OnnxInitializerSpec(string Name, IReadOnlyList<long> Dims, int DataType, byte[] Data);

/// <summary>A graph input or output: element type and a shape whose dimensions are sizes (long) or symbolic
/// names (string) such as <c>batch_size</c>, which make the axis dynamic.</summary>
public sealed record OnnxValueSpec(string Name, int ElementType, IReadOnlyList<object> Shape);
