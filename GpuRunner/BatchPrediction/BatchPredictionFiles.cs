using BertPlatform.Shared.Contracts;

namespace BertPlatform.GpuRunner.BatchPrediction;

/// <summary>Where a batch prediction reads its model (Hugging Face layout) and dataset, and writes its JSON Lines.</summary>
public sealed record BatchPredictionFiles(string ModelDirectory, string DatasetPath, DatasetFormat DatasetFormat, string OutputPath);
