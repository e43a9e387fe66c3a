using Microsoft.ML.OnnxRuntime;

namespace BertPlatform.GpuRunner.Tests.Import;

/// <summary>Runs an ONNX BERT with ONNX Runtime: the reference the imported checkpoint must reproduce.</summary>
internal static class OnnxRuntimeReference
{
    /// <summary>The <c>last_hidden_state</c> output, row-major <c>[batch, tokens, hidden]</c>.</summary>
    public static float[] LastHiddenState(byte[] model, SentenceBatch batch)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        long[] shape = [batch.Batch, batch.Tokens];
        using var ids = OrtValue.CreateTensorValueFromMemory(batch.InputIds, shape);
        using var mask = OrtValue.CreateTensorValueFromMemory(batch.AttentionMask, shape);
        using var types = OrtValue.CreateTensorValueFromMemory(batch.TokenTypeIds, shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["input_ids", "attention_mask", "token_type_ids"], [ids, mask, types], ["last_hidden_state"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
