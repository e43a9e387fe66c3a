using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace BertPlatform.GpuRunner.Import;

/// <summary>ONNX <c>TensorProto.DataType</c> values the importer distinguishes.</summary>
public enum OnnxDataType
{
    Undefined = 0,
    Float = 1,
    Int32 = 6,
    Int64 = 7,
    Double = 11,
}

/// <summary>
/// A tensor from an initializer or a <c>Constant</c> node. <see cref="Data"/> holds the elements as little-endian
/// bytes whichever <c>TensorProto</c> field carried them (<c>raw_data</c> or the typed repeated fields).
/// </summary>
public sealed class OnnxTensor(string name, IReadOnlyList<long> dims, int dataType, byte[] data)
{
    public string Name { get; } = name;

    public IReadOnlyList<long> Dims { get; } = dims;

    /// <summary>The raw <c>data_type</c> number, kept as read so unknown types can be named in errors.</summary>
    public int DataType { get; } = dataType;

    public byte[] Data { get; } = data;

    public bool IsFloat => DataType == (int)OnnxDataType.Float;

    public long ElementCount => Dims.Aggregate(1L, (n, d) => n * d);

    public string ShapeText => "[" + string.Join(",", Dims) + "]";

    public float[] ToFloats()
    {
        if (!IsFloat) throw new OnnxImportException($"Tensor '{Name}' has data type {DataType}, expected float (1).");
        CheckLength(sizeof(float));
        return MemoryMarshal.Cast<byte, float>(Data).ToArray();
    }

    /// <summary>Integer view of an int64 or int32 tensor (shape constants, axes).</summary>
    public long[] ToInt64s()
    {
        switch ((OnnxDataType)DataType)
        {
            case OnnxDataType.Int64:
                CheckLength(sizeof(long));
                return MemoryMarshal.Cast<byte, long>(Data).ToArray();
            case OnnxDataType.Int32:
                CheckLength(sizeof(int));
                return MemoryMarshal.Cast<byte, int>(Data).ToArray().Select(v => (long)v).ToArray();
            default:
                throw new OnnxImportException($"Tensor '{Name}' has data type {DataType}, expected int64 (7) or int32 (6).");
        }
    }

    /// <summary>The value of a one-element numeric tensor (epsilon, scales, exponents).</summary>
    public double ToScalar()
    {
        if (ElementCount != 1) throw new OnnxImportException($"Tensor '{Name}' has shape {ShapeText}, expected a single value.");
        return (OnnxDataType)DataType switch
        {
            OnnxDataType.Float => ToFloats()[0],
            OnnxDataType.Double => BinaryPrimitives.ReadDoubleLittleEndian(Data),
            OnnxDataType.Int64 or OnnxDataType.Int32 => ToInt64s()[0],
            _ => throw new OnnxImportException($"Tensor '{Name}' has data type {DataType}, expected a number."),
        };
    }

    private void CheckLength(int elementSize)
    {
        if (Data.LongLength != ElementCount * elementSize)
            throw new OnnxImportException(
                $"Tensor '{Name}' of shape {ShapeText} holds {Data.LongLength} bytes, expected {ElementCount * elementSize}.");
    }
}
