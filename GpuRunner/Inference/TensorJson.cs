using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Inference;

/// <summary>Tensors as nested JSON arrays of numbers, in row-major order.</summary>
public static class TensorJson
{
    public static JsonNode ToJson(Tensor tensor)
    {
        using var host = tensor.detach().cpu().to(ScalarType.Float32).contiguous();
        var values = host.data<float>().ToArray();
        var shape = host.shape;
        if (shape.Length == 0) return JsonValue.Create(values[0]);
        var offset = 0;
        JsonNode Build(int dim)
        {
            var array = new JsonArray();
            for (var i = 0; i < shape[dim]; i++)
                array.Add(dim == shape.Length - 1 ? JsonValue.Create(values[offset++]) : Build(dim + 1));
            return array;
        }
        return Build(0);
    }

    public static float[] ToArray(Tensor tensor)
    {
        using var host = tensor.detach().cpu().to(ScalarType.Float32).contiguous();
        return host.data<float>().ToArray();
    }
}
