namespace BertPlatform.GpuRunner.Import;

/// <summary>The ONNX file cannot be read or its graph is not a BERT encoder the importer understands; the
/// message names the node, tensor or file at fault.</summary>
public sealed class OnnxImportException(string message) : Exception(message);
